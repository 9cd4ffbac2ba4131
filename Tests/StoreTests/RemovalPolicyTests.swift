import Wire
import XCTest

@testable import Store

final class RemovalPolicyTests: ColonyStoreTestCase {
    /// Two runtimes; processes in every state, the running ones with an attribute each.
    private func populate() throws -> (a: Runtime, b: Runtime) {
        let a = try addRuntime("a"), b = try addRuntime("b")
        for i in 0..<6 {
            try submit("p\(i)", timeout: 60, maxWaitTime: 600)
        }
        let done = try XCTUnwrap(try assign(a))
        let (aid, at) = (a.id, tick())
        _ = try mutate {
            try $0.close(done.id, runtime: aid, attempt: 1, successful: true, now: at)
        }
        for runtime in [a, a, b] {
            let p = try XCTUnwrap(try assign(runtime))
            let (rid, t) = (runtime.id, tick())
            let attribute = NewAttribute(
                processId: p.id, attempt: 1, type: .output, key: "k", value: "v")
            _ = try mutate { try $0.addAttribute(attribute, runtime: rid, now: t) }.get()
        }
        try assertConsistent()
        return (a, b)
    }

    func testRemovingARuntimeRequeuesItsRunningProcessesWithoutCountingARetry() throws {
        let (a, b) = try populate()
        let (colony, at) = (colonyID, tick())

        let requeued = try mutate { try $0.removeRuntime(a.id, colony: colony, now: at) }.get()

        XCTAssertEqual(Set(requeued.map(\.id)), [testID("p1"), testID("p2")])
        for p in requeued {
            XCTAssertEqual(p.state, .waiting)
            XCTAssertEqual(p.retries, 0)
            XCTAssertEqual(p.attempt, 1)
            XCTAssertNil(p.assignedRuntime)
            XCTAssertEqual(p.waitDeadline, at + 600 * second)
            XCTAssertEqual(try store.process(p.id), p)
        }
        XCTAssertNil(try store.runtime(a.id))
        XCTAssertEqual(try store.runtimes(colony: colonyID).map(\.id), [b.id])
        XCTAssertEqual(try store.process(testID("p3"))?.state, .running)
        XCTAssertEqual(try store.process(testID("p0"))?.assignedRuntime, a.id, "history stays")
        XCTAssertEqual(try store.statistics(colony: colonyID).waiting.count, 4)
        try assertConsistent()
    }

    func testRemovingARuntimeOfAnotherColonyIsRefused() throws {
        let (a, _) = try populate()
        let (other, at) = (testID("other"), tick())

        XCTAssertEqual(
            refusal(try mutate { try $0.removeRuntime(a.id, colony: other, now: at) }), .notFound)
        XCTAssertNotNil(try store.runtime(a.id))
    }

    func testRemovingAProcessRemovesItsAttributesWhateverItsState() throws {
        _ = try populate()
        let colony = colonyID

        for label in ["p0", "p1", "p5"] {
            let id = testID(label)
            XCTAssertNil(refusal(try mutate { try $0.removeProcess(id, colony: colony) }))
            XCTAssertNil(try store.process(id))
            XCTAssertEqual(try store.attributes(process: id), [])
        }
        let other = testID("other"), p2 = testID("p2")
        XCTAssertEqual(refusal(try mutate { try $0.removeProcess(p2, colony: other) }), .notFound)
        XCTAssertNil(refusal(try mutate { try $0.removeProcess(p2, colony: colony) }))
        XCTAssertEqual(
            refusal(try mutate { try $0.removeProcess(p2, colony: colony) }), .notFound)

        let stats = try store.statistics(colony: colonyID)
        let counts = [stats.waiting.count, stats.running.count, stats.successful.count]
        XCTAssertEqual(counts, [1, 1, 0])
        try assertConsistent()
    }

    func testRemovingAColonyRemovesEverythingInItAndNothingElse() throws {
        _ = try populate()
        let other = Colony(id: testID("other"), name: "other")
        _ = try mutate { try $0.addColony(other) }
        let keep = ProcessSpec(conditions: Conditions(colonyId: other.id), function: "f")
        let at = tick()
        _ = try mutate { try $0.submit(keep, id: testID("keep"), now: at) }.get()
        let colony = colonyID

        XCTAssertNil(refusal(try mutate { try $0.removeColony(colony) }))

        XCTAssertNil(try store.colony(colonyID))
        XCTAssertEqual(try store.runtimes(colony: colonyID), [])
        for state in ProcessState.allCases {
            XCTAssertEqual(
                try store.processes(colony: colonyID, state: state, limit: 10).processes, [])
        }
        XCTAssertEqual(try store.attributes(process: testID("p1")), [])
        XCTAssertNil(try store.earliestDeadline())
        XCTAssertNotNil(try store.process(testID("keep")))
        XCTAssertEqual(refusal(try mutate { try $0.removeColony(colony) }), .notFound)

        let report = try store.check()
        XCTAssertTrue(report.passed, "\(report.problems)")
        XCTAssertEqual(report.recordsScanned, 2, "the other colony and its process")
    }
}
