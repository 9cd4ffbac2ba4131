import Wire
import XCTest

@testable import Store

final class AssignmentOrderTests: ColonyStoreTestCase {
    func testTheHighestPriorityGoesFirstAndEqualPrioritiesInSubmissionOrder() throws {
        let runtime = try addRuntime("r")
        try submit("low", priority: -1000)
        try submit("mid-1", priority: 0)
        try submit("high", priority: 1000)
        try submit("mid-2", priority: 0)
        try submit("mid-3", priority: 0)
        let expected = ["high", "mid-1", "mid-2", "mid-3", "low"].map(testID)

        XCTAssertEqual(try store.nextAssignable(for: runtime)?.id, testID("high"))
        var order: [ID] = []
        while let p = try assign(runtime) {
            order.append(p.id)
        }

        XCTAssertEqual(order, expected)
        XCTAssertNil(try store.nextAssignable(for: runtime))
    }

    func testTheOrderIsTheSameAfterReopeningTheStore() throws {
        let runtime = try addRuntime("r")
        let priorities: [Int32] = [3, -1000, 1000, 3, 0, 3, 1000, -1000]
        for (i, priority) in priorities.enumerated() {
            try submit("p\(i)", priority: priority)
        }
        let expected = ["p2", "p6", "p0", "p3", "p5", "p4", "p1", "p7"].map(testID)

        try reopen()
        var order: [ID] = []
        while let p = try assign(runtime) {
            order.append(p.id)
        }

        XCTAssertEqual(order, expected)
    }

    func testSubmissionsAfterReopeningQueueBehindThoseBefore() throws {
        let runtime = try addRuntime("r")
        try submit("before")
        let before = try XCTUnwrap(try store.process(testID("before")))

        try reopen()
        // A clock that went back must not put the new process ahead.
        now = before.submittedAt - 10 * second
        let after = try submit("after")

        XCTAssertGreaterThan(after.submittedAt, before.submittedAt)
        XCTAssertEqual(try assign(runtime)?.id, before.id)
        XCTAssertEqual(try assign(runtime)?.id, after.id)
    }

    func testNamedRuntimesAloneMayTakeAProcess() throws {
        let a = try addRuntime("a"), b = try addRuntime("b")
        try submit("for-b", conditions: Conditions(colonyId: colonyID, runtimeIds: [b.id]))

        XCTAssertNil(try assign(a))
        XCTAssertEqual(try assign(b)?.id, testID("for-b"))
    }

    func testARuntimeSkipsHeadsItDoesNotMatchAndTakesTheFirstItDoes() throws {
        let small = try addRuntime("small", type: "cpu", mem: 512, cores: 2, gpus: 0)
        let big = try addRuntime("big", type: "gpu", mem: 65536, cores: 64, gpus: 4)
        try submit("needs-gpu-type", priority: 9, conditions: conditions(type: "gpu"))
        try submit("needs-mem", priority: 8, conditions: conditions(mem: 1024))
        try submit("needs-cores", priority: 7, conditions: conditions(cores: 4))
        try submit("needs-gpus", priority: 6, conditions: conditions(gpus: 1))
        try submit("anything", priority: 5)

        XCTAssertEqual(try store.nextAssignable(for: small)?.id, testID("anything"))
        XCTAssertEqual(try assign(small)?.id, testID("anything"))
        XCTAssertNil(try assign(small))
        let forBig = try (0..<4).compactMap { _ in try assign(big)?.id }
        XCTAssertEqual(
            forBig, ["needs-gpu-type", "needs-mem", "needs-cores", "needs-gpus"].map(testID))
    }

    func testARuntimeThatIsNotApprovedOrNoLongerStoredGetsNothing() throws {
        let approved = try addRuntime("r")
        try submit("p")
        let pending = Runtime(id: testID("pending"), colonyId: colonyID, name: "p", type: "cpu")
        let (colony, at) = (colonyID, tick())
        _ = try mutate { try $0.addRuntime(pending, now: at) }
        _ = try mutate { try $0.removeRuntime(approved.id, colony: colony, now: at) }

        XCTAssertNil(try assign(pending))
        XCTAssertNil(try assign(approved))
        XCTAssertNil(try store.nextAssignable(for: approved))
        XCTAssertEqual(try store.process(testID("p"))?.state, .waiting)
    }

    func testARuntimeOfAnotherColonyGetsNothingFromThisOne() throws {
        let other = Colony(id: testID("other"), name: "other")
        _ = try mutate { try $0.addColony(other) }
        let stranger = Runtime(id: testID("s"), colonyId: other.id, name: "s", type: "cpu")
        let at = tick()
        _ = try mutate { try $0.addRuntime(stranger, now: at) }
        let approved = try mutate {
            try $0.setRuntimeState(stranger.id, colony: other.id, .approved)
        }.get()
        try submit("p")

        XCTAssertNil(try assign(approved))
    }

    private func conditions(
        type: Text = .empty, mem: UInt64 = 0, cores: UInt32 = 0, gpus: UInt32 = 0
    ) -> Conditions {
        Conditions(colonyId: colonyID, runtimeType: type, mem: mem, cores: cores, gpus: gpus)
    }
}
