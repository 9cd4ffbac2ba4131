import Client
import Wire
import XCTest

/// What removing a runtime or a colony takes with it, and values at and past their limits
/// (spec/PROTOCOL.md, sections 9 and 13).
final class RemovalAndLimitsTests: XCTestCase {
    private var server: TestServer!
    private var colony: PrivateKey!
    private var runtime: PrivateKey!
    private var client: ColoniesClient!

    override func setUpWithError() throws {
        server = try TestServer()
        colony = try server.makeColony()
        runtime = try server.makeRuntime(colony: colony)
        client = try server.client()
    }

    override func tearDown() {
        client = nil
        server = nil
    }

    func testRemovingARuntimeWithARunningProcessPutsItBackToWaitingForAnother() throws {
        let doomed = try server.makeRuntime(colony: colony, type: "gpu")
        let heir = try server.makeRuntime(colony: colony, type: "gpu")
        let submitted = try client.submit(
            echoSpec(colony: colony.id, timeout: 600, type: "gpu"), runtimeKey: runtime)
        let taken = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: doomed))
        XCTAssertEqual(taken.id, submitted.id)

        try client.removeRuntime(doomed.id, colonyKey: colony)

        let back = try client.getProcess(submitted.id, runtimeKey: runtime).process
        XCTAssertEqual(back.state, .waiting)
        XCTAssertNil(back.assignedRuntime)
        XCTAssertEqual(back.retries, 0, "a removal is not a timeout")
        XCTAssertEqual(back.deadline, 0)
        XCTAssertEqual(
            refusalCode { _ = try self.client.getProcess(submitted.id, runtimeKey: doomed) },
            .unknownIdentity)
        XCTAssertEqual(
            refusalCode {
                try self.client.closeSuccessful(taken.id, attempt: 1, runtimeKey: doomed)
            },
            .unknownIdentity)

        let again = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: heir))
        XCTAssertEqual(again.id, submitted.id)
        XCTAssertEqual(again.attempt, 2)
    }

    func testAProcessPutBackByARemovalGoesAtOnceToAWaitingRuntime() throws {
        let doomed = try server.makeRuntime(colony: colony, type: "gpu")
        let heir = try server.makeRuntime(colony: colony, type: "gpu")
        let submitted = try client.submit(
            echoSpec(colony: colony.id, type: "gpu"), runtimeKey: runtime)
        _ = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: doomed))
        let waiter = try server.client()
        try waiter.startAssign(colony: colony.id, waitSeconds: 30, runtimeKey: heir)
        letTheServerCatchUp()

        try client.removeRuntime(doomed.id, colonyKey: colony)

        let taken = try XCTUnwrap(try waiter.assignment())
        XCTAssertEqual(taken.id, submitted.id)
        XCTAssertEqual(taken.assignedRuntime, heir.id)
    }

    func testRemovingAColonyRemovesItsRuntimesProcessesAndAttributes() throws {
        let other = try server.makeColony(name: "other")
        let otherRuntime = try server.makeRuntime(colony: other)
        let kept = try client.submit(echoSpec(colony: other.id), runtimeKey: otherRuntime)

        let finished = try client.submit(
            echoSpec(colony: colony.id, priority: 1), runtimeKey: runtime)
        let waiting = try client.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
        let taken = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(taken.id, finished.id)
        let attribute = try client.addAttribute(
            NewAttribute(processId: taken.id, attempt: 1, type: .output, key: "k", value: "v"),
            runtimeKey: runtime)
        try client.closeSuccessful(taken.id, attempt: 1, runtimeKey: runtime)

        try client.removeColony(colony.id, serverKey: server.ownerKey)

        XCTAssertEqual(
            refusalCode {
                _ = try self.client.getColony(self.colony.id, key: self.server.ownerKey)
            },
            .notFound)
        XCTAssertFalse(try client.listColonies(serverKey: server.ownerKey).contains {
            $0.id == self.colony.id
        })
        XCTAssertEqual(
            refusalCode { _ = try self.client.getProcess(waiting.id, runtimeKey: self.runtime) },
            .unknownIdentity, "the runtime went with its colony")
        XCTAssertEqual(
            refusalCode {
                _ = try self.client.listRuntimes(colony: self.colony.id, colonyKey: self.colony)
            },
            .unknownIdentity, "the owner owns nothing now")

        // A colony of the same key starts empty: nothing of the old one is left behind.
        _ = try client.addColony(Colony(id: colony.id, name: "lab"), serverKey: server.ownerKey)
        XCTAssertEqual(try client.listRuntimes(colony: colony.id, colonyKey: colony).count, 0)
        let newcomer = try server.makeRuntime(colony: colony)
        for id in [finished.id, waiting.id] {
            XCTAssertEqual(
                refusalCode { _ = try self.client.getProcess(id, runtimeKey: newcomer) },
                .notFound)
        }
        XCTAssertEqual(
            refusalCode { _ = try self.client.getAttribute(attribute.id, runtimeKey: newcomer) },
            .notFound)
        let stats = try client.statistics(colony: colony.id, key: colony)
        XCTAssertEqual(
            [stats.waiting.count, stats.running.count, stats.successful.count,
             stats.failed.count, stats.runtimes],
            [0, 0, 0, 0, 1])

        // The other colony is untouched.
        XCTAssertEqual(
            try client.getProcess(kept.id, runtimeKey: otherRuntime).process.state, .waiting)
    }

    func testAWaitingAssignInARemovedColonyIsAnsweredAtOnce() throws {
        let waiter = try server.client(readTimeout: 5000)
        try waiter.startAssign(colony: colony.id, waitSeconds: 60, runtimeKey: runtime)
        letTheServerCatchUp()

        try client.removeColony(colony.id, serverKey: server.ownerKey)

        XCTAssertNil(try waiter.assignmentWithinReadTimeout())
    }

    func testAPriorityPastPlusOrMinus1000IsRefusedAndNothingIsStored() throws {
        for priority: Int32 in [1001, -1001, Int32.max, Int32.min] {
            XCTAssertEqual(
                refusalCode {
                    _ = try self.client.submit(
                        echoSpec(colony: self.colony.id, priority: priority),
                        runtimeKey: self.runtime)
                },
                .invalidValue, "priority \(priority)")
        }
        for priority: Int32 in [1000, -1000] {
            XCTAssertNoThrow(
                try client.submit(echoSpec(colony: colony.id, priority: priority),
                                  runtimeKey: runtime))
        }

        let listed = try client.listProcesses(
            colony: colony.id, state: .waiting, count: 100, runtimeKey: runtime)
        XCTAssertEqual(listed.processes.map(\.spec.priority).sorted(), [-1000, 1000])
        XCTAssertEqual(try client.statistics(colony: colony.id, key: colony).waiting.count, 2)
    }

    func testAColonyNameWithASpaceIsRefusedAndNotStored() throws {
        let key = PrivateKey.generate()
        XCTAssertEqual(
            refusalCode {
                _ = try self.client.addColony(
                    Colony(id: key.id, name: "my lab"), serverKey: self.server.ownerKey)
            },
            .invalidValue)
        XCTAssertEqual(
            refusalCode { _ = try self.client.getColony(key.id, key: self.server.ownerKey) },
            .notFound)
    }

    func testAProcessWithTheLargestArgsAndEnvIsStoredAndListedAlongsideOthers() throws {
        let small = try (0..<3).map { _ in
            try client.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
        }
        let large = try client.submit(largestSpec(), runtimeKey: runtime)
        XCTAssertEqual(large.spec, largestSpec())

        let listed = try client.listProcesses(
            colony: colony.id, state: .waiting, count: 100, runtimeKey: runtime)
        XCTAssertFalse(listed.truncated)
        XCTAssertEqual(Set(listed.processes.map(\.id)), Set(small.map(\.id) + [large.id]))
        XCTAssertEqual(listed.processes.first { $0.id == large.id }?.spec, largestSpec())
        XCTAssertEqual(
            try client.getProcess(large.id, runtimeKey: runtime).process.spec, largestSpec())
    }

    func testTwoOfTheLargestProcessesDoNotFitOneListReplySoItSaysTruncated() throws {
        let first = try client.submit(largestSpec(), runtimeKey: runtime)
        let second = try client.submit(largestSpec(), runtimeKey: runtime)

        let listed = try client.listProcesses(
            colony: colony.id, state: .waiting, count: 100, runtimeKey: runtime)
        XCTAssertTrue(listed.truncated)
        XCTAssertEqual(listed.processes.count, 1)
        XCTAssertTrue([first.id, second.id].contains(listed.processes.first?.id ?? .zero))
    }

    /// A spec at every limit of args and env: 64 arguments of 4096 bytes, 64 variables with
    /// keys of 128 bytes and values of 4096.
    private func largestSpec() -> ProcessSpec {
        let args = (0..<Limits.maxArgs).map { i in
            let letter = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(i % 26)))
            return Text(String(repeating: letter, count: Limits.maxArg))
        }
        let value = Text(String(repeating: "v", count: Limits.maxEnvValue))
        let env = (0..<Limits.maxEnv).map { i in
            // K000_____…: 128 bytes, in ascending order.
            let digits = String(i)
            let key = "K" + String(repeating: "0", count: 3 - digits.count) + digits
            let padded = key + String(repeating: "_", count: Limits.maxEnvKey - key.count)
            return EnvVar(key: Text(padded), value: value)
        }
        return ProcessSpec(
            conditions: Conditions(colonyId: colony.id), function: "echo", args: args, env: env)
    }
}
