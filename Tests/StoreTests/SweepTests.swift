import Wire
import XCTest

@testable import Store

final class SweepTests: ColonyStoreTestCase {
    /// Runs the process until the sweep ends it or `rounds` timeouts pass; returns it as
    /// stored, and how many times it was assigned.
    private func timeOutRepeatedly(maxRetries: Int32, rounds: Int) throws -> (Wire.Process, Int) {
        let runtime = try addRuntime("r")
        try submit("p", timeout: 10, maxRetries: maxRetries)
        var assignments = 0

        for _ in 0..<rounds {
            guard let p = try assign(runtime) else { break }
            assignments += 1
            XCTAssertEqual(p.attempt, UInt32(assignments))
            XCTAssertEqual(try sweep(at: p.deadline - 1), [], "not yet due")
            let changed = try sweep(at: p.deadline)
            XCTAssertEqual(changed.map(\.id), [p.id])
        }
        try assertConsistent()
        return (try XCTUnwrap(try store.process(testID("p"))), assignments)
    }

    func testWithoutRetriesTheFirstTimeoutFailsTheProcess() throws {
        let (p, assignments) = try timeOutRepeatedly(maxRetries: 0, rounds: 5)

        XCTAssertEqual(assignments, 1)
        XCTAssertEqual(p.state, .failed)
        XCTAssertEqual(p.retries, 0)
        XCTAssertEqual(p.endedAt, p.startedAt + 10 * second)
        XCTAssertEqual(p.deadline, 0)
    }

    func testOneRetryRequeuesOnceThenFails() throws {
        let (p, assignments) = try timeOutRepeatedly(maxRetries: 1, rounds: 5)

        XCTAssertEqual(assignments, 2)
        XCTAssertEqual(p.state, .failed)
        XCTAssertEqual(p.retries, 1)
        XCTAssertEqual(p.attempt, 2)
    }

    func testThreeRetriesGiveFourRunsThenFail() throws {
        let (p, assignments) = try timeOutRepeatedly(maxRetries: 3, rounds: 10)

        XCTAssertEqual(assignments, 4)
        XCTAssertEqual(p.state, .failed)
        XCTAssertEqual(p.retries, 3)
    }

    func testUnlimitedRetriesKeepRequeueing() throws {
        let (p, assignments) = try timeOutRepeatedly(maxRetries: -1, rounds: 6)

        XCTAssertEqual(assignments, 6)
        XCTAssertEqual(p.state, .waiting)
        XCTAssertEqual(p.retries, 6)
        XCTAssertNil(p.assignedRuntime)
        XCTAssertEqual(p.startedAt, 0)
    }

    func testARequeuedProcessGetsAFreshMaxWaitDeadlineAndFailsWhenItPasses() throws {
        let runtime = try addRuntime("r")
        try submit("p", timeout: 10, maxWaitTime: 30, maxRetries: -1)
        let p = try XCTUnwrap(try assign(runtime))

        let requeued = try XCTUnwrap(try sweep(at: p.deadline).first)
        XCTAssertEqual(requeued.waitDeadline, p.deadline + 30 * second)
        XCTAssertEqual(try store.earliestDeadline(), requeued.waitDeadline)

        let failed = try XCTUnwrap(try sweep(at: requeued.waitDeadline).first)
        XCTAssertEqual(failed.state, .failed)
        XCTAssertEqual(failed.endedAt, requeued.waitDeadline)
        XCTAssertNil(try store.earliestDeadline())
        try assertConsistent()
    }

    func testTheOldAttemptIsRefusedAfterTheProcessWasRequeuedAndAssignedAgain() throws {
        let runtime = try addRuntime("r")
        try submit("p", timeout: 10, maxRetries: -1)
        let first = try XCTUnwrap(try assign(runtime))
        _ = try sweep(at: first.deadline)
        let (rid, pid, at) = (runtime.id, first.id, tick(20 * second))

        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(pid, runtime: rid, attempt: 1, successful: true, now: at)
            }), .wrongState)
        let second = try XCTUnwrap(try assign(runtime))
        XCTAssertEqual(second.attempt, 2)
        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(pid, runtime: rid, attempt: 1, successful: true, now: at)
            }), .staleAttempt)
        let attribute = NewAttribute(
            processId: pid, attempt: 1, type: .output, key: "late", value: "x")
        XCTAssertEqual(
            refusal(try mutate { try $0.addAttribute(attribute, runtime: rid, now: at) }),
            .staleAttempt)
        XCTAssertEqual(
            try mutate {
                try $0.close(pid, runtime: rid, attempt: 2, successful: true, now: at)
            }.get().state, .successful)
    }

    func testASweepHandlesAtMostItsLimitEarliestFirst() throws {
        for i in 0..<5 {
            try submit("p\(i)", maxWaitTime: 10)
        }
        let late = now + 3600 * second

        let first = try mutate { try $0.sweep(now: late, limit: 3) }
        let rest = try mutate { try $0.sweep(now: late, limit: 3) }

        XCTAssertEqual(first.map(\.id), (0..<3).map { testID("p\($0)") })
        XCTAssertEqual(rest.map(\.id), (3..<5).map { testID("p\($0)") })
        XCTAssertTrue(first.allSatisfy { $0.state == .failed && $0.endedAt == late })
        XCTAssertEqual(try store.statistics(colony: colonyID).failed.count, 5)
    }
}
