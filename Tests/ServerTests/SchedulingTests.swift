import Client
import Foundation
import Server
import Wire
import XCTest

final class SchedulingTests: XCTestCase {
    func testHigherPriorityGoesFirstThenTheOldest() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c = try server.client()

        let low = try c.submit(echoSpec(colony: colony.id, priority: -1000), runtimeKey: runtime)
        let first = try c.submit(echoSpec(colony: colony.id, priority: 5), runtimeKey: runtime)
        let second = try c.submit(echoSpec(colony: colony.id, priority: 5), runtimeKey: runtime)
        let high = try c.submit(echoSpec(colony: colony.id, priority: 1000), runtimeKey: runtime)

        var order: [ID] = []
        while let p = try c.assign(colony: colony.id, runtimeKey: runtime) { order.append(p.id) }
        XCTAssertEqual(order, [high.id, first.id, second.id, low.id])
    }

    func testAWaitingAssignIsWokenByASubmit() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let port = server.port
        let submitter = try server.client()

        let assigned = SharedValue<Wire.Process?>(nil)
        let done = expectation(description: "assign returned")
        let thread = Thread {
            let waiting = try? ColoniesClient(host: "127.0.0.1", port: port)
            assigned.value = try? waiting?.assign(
                colony: colony.id, waitSeconds: 20, runtimeKey: runtime)
            done.fulfill()
        }
        thread.start()

        // Give the assign time to park; the submit must then wake it, long before 20 s.
        Thread.sleep(forTimeInterval: 0.3)
        let submitted = try submitter.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
        wait(for: [done], timeout: 10)
        XCTAssertEqual(assigned.value?.id, submitted.id)
        XCTAssertEqual(assigned.value?.state, .running)
    }

    func testAWaitingAssignWithNoWorkAnswersNoWorkWhenItsWaitEnds() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c = try server.client()
        XCTAssertNil(try c.assign(colony: colony.id, waitSeconds: 1, runtimeKey: runtime))
    }

    func testATimedOutProcessIsReassignedThenFailsWhenRetriesAreUsedUp() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c = try server.client()
        let spec = echoSpec(colony: colony.id, timeout: 1, maxRetries: 1)
        let submitted = try c.submit(spec, runtimeKey: runtime)

        let first = try XCTUnwrap(try c.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(first.attempt, 1)
        let second = try XCTUnwrap(
            try c.assign(colony: colony.id, waitSeconds: 10, runtimeKey: runtime))
        XCTAssertEqual(second.id, submitted.id)
        XCTAssertEqual(second.attempt, 2)
        XCTAssertEqual(second.retries, 1)

        // The first attempt's runtime may no longer close it.
        XCTAssertEqual(
            refusalCode { try c.closeSuccessful(first.id, attempt: 1, runtimeKey: runtime) },
            .staleAttempt)

        // No retry is left: the next timeout fails it.
        let deadline = Date().addingTimeInterval(10)
        var state = ProcessState.running
        while Date() < deadline && state != .failed {
            Thread.sleep(forTimeInterval: 0.1)
            state = try c.getProcess(submitted.id, runtimeKey: runtime).process.state
        }
        XCTAssertEqual(state, .failed)
    }

    func testNoProcessIsGivenToTwoOf32ConcurrentRuntimes() throws {
        let total = 10_000
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtimes = try (0..<32).map { _ in try server.makeRuntime(colony: colony) }

        // Submit pipelined, in batches, so the setup is quick.
        let submitter = try server.client()
        var sent = 0
        while sent < total {
            let batch = min(500, total - sent)
            for _ in 0..<batch {
                try submitter.send(.submitProcess(echoSpec(colony: colony.id)), key: runtimes[0])
            }
            for _ in 0..<batch { _ = try submitter.receive() }
            sent += batch
        }

        let taken = SharedValue<[ID: Int]>([:])
        let failures = SharedValue<[String]>([])
        DispatchQueue.concurrentPerform(iterations: runtimes.count) { i in
            do {
                let c = try server.client()
                while let p = try c.assign(colony: colony.id, runtimeKey: runtimes[i]) {
                    taken.withValue { $0[p.id, default: 0] += 1 }
                    try c.closeSuccessful(p.id, attempt: p.attempt, runtimeKey: runtimes[i])
                }
            } catch {
                failures.withValue { $0.append("\(error)") }
            }
        }

        XCTAssertEqual(failures.value, [])
        XCTAssertEqual(taken.value.count, total, "every process assigned")
        XCTAssertEqual(taken.value.values.filter { $0 != 1 }.count, 0, "none assigned twice")
        let stats = try server.client().statistics(colony: colony.id, key: colony)
        XCTAssertEqual(stats.successful.count, UInt64(total))
        XCTAssertEqual(stats.waiting.count, 0)
        XCTAssertEqual(stats.running.count, 0)
    }

    func testStateSurvivesARestart() throws {
        let server = try TestServer()
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c0 = try server.client()
        let low = try c0.submit(echoSpec(colony: colony.id, priority: 1), runtimeKey: runtime)
        let high = try c0.submit(echoSpec(colony: colony.id, priority: 2), runtimeKey: runtime)

        try server.restart()

        let c = try server.client()
        XCTAssertEqual(try c.getColony(colony.id, key: colony).name, "lab")
        XCTAssertEqual(try c.assign(colony: colony.id, runtimeKey: runtime)?.id, high.id)
        XCTAssertEqual(try c.assign(colony: colony.id, runtimeKey: runtime)?.id, low.id)
    }
}

/// A value shared between test threads.
final class SharedValue<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()

    init(_ value: T) { stored = value }

    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    func withValue<R>(_ body: (inout T) -> R) -> R {
        lock.withLock { body(&stored) }
    }
}
