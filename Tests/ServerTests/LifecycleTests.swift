import Client
import Wire
import XCTest

/// The process life cycle of spec/PROTOCOL.md section 13: retries, final states, maximum
/// waits, fresh deadlines and attributes. Timeouts are the shortest allowed, one second.
final class LifecycleTests: XCTestCase {
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

    private func get(_ id: ID) throws -> Wire.Process {
        try client.getProcess(id, runtimeKey: runtime).process
    }

    func testMaxRetriesMinusOneGivesTheProcessBackEveryTimeItTimesOut() throws {
        let spec = echoSpec(colony: colony.id, timeout: 1, maxRetries: -1)
        let submitted = try client.submit(spec, runtimeKey: runtime)
        let first = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(first.id, submitted.id)

        for round in 1...3 {
            let again = try XCTUnwrap(
                try client.assign(colony: colony.id, waitSeconds: 10, runtimeKey: runtime),
                "round \(round)")
            XCTAssertEqual(again.id, submitted.id)
            XCTAssertEqual(again.attempt, UInt32(round + 1))
            XCTAssertEqual(again.retries, UInt32(round))
            XCTAssertEqual(again.state, .running)
        }
    }

    func testMaxRetriesZeroOneAndThreeFailAfterExactlyThatManyRetries() throws {
        var history: [ID: [(attempt: UInt32, retries: UInt32)]] = [:]
        var limits: [ID: Int32] = [:]
        for maxRetries: Int32 in [0, 1, 3] {
            let spec = echoSpec(colony: colony.id, timeout: 1, maxRetries: maxRetries)
            limits[try client.submit(spec, runtimeKey: runtime).id] = maxRetries
        }

        // Take every assignment as it comes, and never close: only timeouts end attempts.
        let allFailed = try pollUntil(seconds: 20) {
            while let p = try client.assign(colony: colony.id, runtimeKey: runtime) {
                history[p.id, default: []].append((p.attempt, p.retries))
            }
            return try limits.keys.allSatisfy { try get($0).state == .failed }
        }
        XCTAssertTrue(allFailed)

        for (id, maxRetries) in limits {
            let final = try get(id)
            let runs = UInt32(maxRetries + 1)
            XCTAssertEqual(final.state, .failed, "maxretries \(maxRetries)")
            XCTAssertEqual(final.attempt, runs, "maxretries \(maxRetries)")
            XCTAssertEqual(final.retries, UInt32(maxRetries), "maxretries \(maxRetries)")
            XCTAssertNotEqual(final.endedAt, 0)
            XCTAssertEqual(history[id]?.map(\.attempt), Array(1...runs))
            XCTAssertEqual(history[id]?.map(\.retries), Array(0..<runs))
        }
    }

    func testAnExplicitCloseFailedIsFinalEvenWithRetriesLeft() throws {
        let spec = echoSpec(colony: colony.id, timeout: 1, maxRetries: 3)
        let submitted = try client.submit(spec, runtimeKey: runtime)
        let taken = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        try client.closeFailed(taken.id, attempt: taken.attempt, runtimeKey: runtime)

        // Longer than the timeout: a process still counted as running would come back.
        XCTAssertNil(try client.assign(colony: colony.id, waitSeconds: 2, runtimeKey: runtime))
        let final = try get(submitted.id)
        XCTAssertEqual(final.state, .failed)
        XCTAssertEqual(final.attempt, 1)
        XCTAssertEqual(final.retries, 0)
        XCTAssertNotEqual(final.endedAt, 0)
        let client = self.client!, runtime = self.runtime!
        XCTAssertEqual(
            refusalCode { try client.closeSuccessful(taken.id, attempt: 1, runtimeKey: runtime) },
            .wrongState)
    }

    func testMaxWaitTimeFailsAProcessThatNoRuntimeTakes() throws {
        let spec = echoSpec(colony: colony.id, maxWait: 1)
        let submitted = try client.submit(spec, runtimeKey: runtime)
        XCTAssertGreaterThan(submitted.waitDeadline, submitted.submittedAt)

        XCTAssertTrue(try pollUntil { try get(submitted.id).state != .waiting })
        let final = try get(submitted.id)
        XCTAssertEqual(final.state, .failed)
        XCTAssertEqual(final.attempt, 0)
        XCTAssertNil(final.assignedRuntime)
        XCTAssertGreaterThanOrEqual(final.endedAt, submitted.waitDeadline)
        XCTAssertNil(try client.assign(colony: colony.id, runtimeKey: runtime))
    }

    func testAProcessTakenBackGetsFreshDeadlines() throws {
        let spec = echoSpec(colony: colony.id, timeout: 1, maxRetries: 1, maxWait: 600)
        let submitted = try client.submit(spec, runtimeKey: runtime)
        let first = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertGreaterThan(first.deadline, first.startedAt)
        XCTAssertEqual(first.waitDeadline, 0, "a running process has no wait deadline")

        XCTAssertTrue(try pollUntil { try get(submitted.id).state == .waiting })
        let back = try get(submitted.id)
        XCTAssertEqual(back.retries, 1)
        XCTAssertNil(back.assignedRuntime)
        XCTAssertEqual(back.deadline, 0)
        XCTAssertEqual(back.startedAt, 0)
        XCTAssertGreaterThan(back.waitDeadline, submitted.waitDeadline)

        let second = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(second.attempt, 2)
        XCTAssertGreaterThan(second.startedAt, first.startedAt)
        XCTAssertGreaterThan(second.deadline, first.deadline)
    }

    func testTheAssignedRuntimeAddsAttributesAndTheSameKeyReplacesTheValue() throws {
        let submitted = try client.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
        let taken = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        func add(_ type: AttributeType, _ value: Text) throws -> Attribute {
            try client.addAttribute(
                NewAttribute(processId: taken.id, attempt: taken.attempt, type: type,
                             key: "result", value: value),
                runtimeKey: runtime)
        }

        let first = try add(.output, "21.5")
        let expectedId = Attribute.id(processId: submitted.id, type: .output, key: "result")
        XCTAssertEqual(first.id, expectedId)
        XCTAssertEqual(try client.getAttribute(first.id, runtimeKey: runtime).value, "21.5")

        let replaced = try add(.output, "22.0")
        XCTAssertEqual(replaced.id, first.id)
        XCTAssertEqual(try client.getAttribute(first.id, runtimeKey: runtime).value, "22.0")

        // The same key under another type is another attribute.
        let error = try add(.error, "none")
        XCTAssertNotEqual(error.id, first.id)
        let attributes = try client.getProcess(submitted.id, runtimeKey: runtime).attributes
        XCTAssertEqual(Set(attributes.map(\.id)), [first.id, error.id])
        XCTAssertEqual(attributes.first { $0.id == first.id }?.value, "22.0")
        XCTAssertEqual(attributes.first { $0.id == first.id }?.attempt, 1)
    }

    func testAnAttributeIsRefusedAfterCloseAndFromAStaleAttempt() throws {
        let closing = try client.submit(
            echoSpec(colony: colony.id, priority: 1), runtimeKey: runtime)
        let timingOut = try client.submit(
            echoSpec(colony: colony.id, timeout: 1, maxRetries: 1), runtimeKey: runtime)
        func attribute(_ id: ID, attempt: UInt32) -> NewAttribute {
            NewAttribute(processId: id, attempt: attempt, type: .output, key: "k", value: "v")
        }

        let closed = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(closed.id, closing.id)
        try client.closeSuccessful(closed.id, attempt: closed.attempt, runtimeKey: runtime)
        XCTAssertEqual(
            refusalCode { _ = try self.client.addAttribute(attribute(closed.id, attempt: 1),
                                                           runtimeKey: self.runtime) },
            .wrongState)

        let first = try XCTUnwrap(try client.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(first.id, timingOut.id)
        let second = try XCTUnwrap(
            try client.assign(colony: colony.id, waitSeconds: 10, runtimeKey: runtime))
        XCTAssertEqual(second.attempt, 2)
        XCTAssertEqual(
            refusalCode { _ = try self.client.addAttribute(attribute(first.id, attempt: 1),
                                                           runtimeKey: self.runtime) },
            .staleAttempt)
        let current = try client.addAttribute(attribute(first.id, attempt: 2), runtimeKey: runtime)
        XCTAssertEqual(current.attempt, 2)
    }
}
