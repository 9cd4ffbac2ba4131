import Wire
import XCTest

@testable import Store

final class ProcessLifecycleTests: ColonyStoreTestCase {
    func testASubmittedProcessWaitsWithItsSubmissionTimeAndMaxWaitDeadline() throws {
        let at = now + 1_000
        let p = try submit("p", maxWaitTime: 30)

        XCTAssertEqual(p.state, .waiting)
        XCTAssertEqual(p.submittedAt, at)
        XCTAssertEqual(p.waitDeadline, at + 30 * second)
        XCTAssertEqual(p.attempt, 0)
        XCTAssertNil(p.assignedRuntime)
        XCTAssertEqual(try store.process(p.id), p)
        XCTAssertEqual(try store.process(p.id)?.encoded, p.encoded)
        XCTAssertEqual(try store.earliestDeadline(), p.waitDeadline)
    }

    func testSubmittingToAMissingColonyOrUnderATakenIdIsRefused() throws {
        let p = try submit("p")
        let lost = ProcessSpec(conditions: Conditions(colonyId: testID("nowhere")), function: "f")
        let at = tick()

        XCTAssertEqual(
            refusal(try mutate { try $0.submit(lost, id: testID("q"), now: at) }), .notFound)
        XCTAssertEqual(
            refusal(try mutate { try $0.submit(p.spec, id: p.id, now: at) }), .alreadyExists)
        XCTAssertNil(try store.process(testID("q")))
        XCTAssertEqual(try store.statistics(colony: colonyID).waiting.count, 1)
    }

    func testSubmissionsAtTheSameInstantGetIncreasingTimes() throws {
        let spec = ProcessSpec(conditions: Conditions(colonyId: colonyID), function: "f")
        let at = tick()
        let times = try mutate { records in
            var times: [Int64] = []
            for i in 0..<3 {
                let p = try records.submit(spec, id: testID("s\(i)"), now: at).get()
                times.append(p.submittedAt)
            }
            return times
        }
        XCTAssertEqual(times, [at, at + 1, at + 2])
    }

    func testAssigningMakesTheProcessRunningWithADeadlineFromItsTimeout() throws {
        let runtime = try addRuntime("r")
        try submit("p", timeout: 60, maxWaitTime: 30)

        let p = try XCTUnwrap(try assign(runtime))

        XCTAssertEqual(p.state, .running)
        XCTAssertEqual(p.attempt, 1)
        XCTAssertEqual(p.assignedRuntime, runtime.id)
        XCTAssertEqual(p.startedAt, now)
        XCTAssertEqual(p.deadline, now + 60 * second)
        XCTAssertEqual(p.waitDeadline, 0)
        XCTAssertEqual(try store.process(p.id), p)
        XCTAssertEqual(try store.earliestDeadline(), p.deadline)
        XCTAssertNil(try assign(runtime))
        try assertConsistent()
    }

    func testClosingEndsTheProcessOnlyForItsRuntimeAndAttempt() throws {
        let runtime = try addRuntime("r"), other = try addRuntime("o")
        try submit("first")
        let p = try XCTUnwrap(try assign(runtime))
        let second = try submit("second")
        let at = tick()
        let (rid, oid, pid) = (runtime.id, other.id, p.id)

        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(testID("none"), runtime: rid, attempt: 1, successful: true, now: at)
            }), .notFound)
        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(second.id, runtime: rid, attempt: 0, successful: true, now: at)
            }), .wrongState)
        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(pid, runtime: oid, attempt: 1, successful: true, now: at)
            }), .notAssignedRuntime)
        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(pid, runtime: rid, attempt: 2, successful: true, now: at)
            }), .staleAttempt)
        XCTAssertEqual(try store.process(pid)?.state, .running)

        let closed = try mutate {
            try $0.close(pid, runtime: rid, attempt: 1, successful: false, now: at)
        }.get()
        XCTAssertEqual(closed.state, .failed)
        XCTAssertEqual(closed.endedAt, at)
        XCTAssertEqual(closed.deadline, 0)
        XCTAssertEqual(
            refusal(try mutate {
                try $0.close(pid, runtime: rid, attempt: 1, successful: true, now: at)
            }), .wrongState)
        try assertConsistent()
    }

    func testUnassigningPutsARunningProcessBackOnlyForItsCurrentAttempt() throws {
        let runtime = try addRuntime("r")
        try submit("p", timeout: 10, maxWaitTime: 20)
        let p = try XCTUnwrap(try assign(runtime))
        let at = tick()
        let pid = p.id

        XCTAssertNil(try mutate { try $0.unassign(pid, attempt: 2, now: at) })
        let back = try XCTUnwrap(try mutate { try $0.unassign(pid, attempt: 1, now: at) })

        XCTAssertEqual(back.state, .waiting)
        XCTAssertNil(back.assignedRuntime)
        XCTAssertEqual(back.attempt, 1)
        XCTAssertEqual(back.retries, 0)
        XCTAssertEqual(back.startedAt, 0)
        XCTAssertEqual(back.deadline, 0)
        XCTAssertEqual(back.waitDeadline, at + 20 * second)
        XCTAssertNil(try mutate { try $0.unassign(pid, attempt: 1, now: at) })
        XCTAssertEqual(try assign(runtime)?.attempt, 2)
        try assertConsistent()
    }

    func testAnAttributeIsAddedByTheRunningRuntimeAndTheSameKeyReplacesIt() throws {
        let runtime = try addRuntime("r"), other = try addRuntime("o")
        try submit("p")
        let p = try XCTUnwrap(try assign(runtime))
        let (rid, oid, at) = (runtime.id, other.id, tick())
        func add(_ value: Text, attempt: UInt32 = 1, by runtime: ID? = nil) throws
            -> Result<Attribute, Refusal>
        {
            let new = NewAttribute(
                processId: p.id, attempt: attempt, type: .output, key: "result", value: value)
            return try mutate { try $0.addAttribute(new, runtime: runtime ?? rid, now: at) }
        }

        let first = try add("1").get()
        let second = try add("2").get()

        XCTAssertEqual(first.id, second.id)
        XCTAssertEqual(first.id, Attribute.id(processId: p.id, type: .output, key: "result"))
        XCTAssertEqual(try store.attributes(process: p.id), [second])
        XCTAssertEqual(try store.attribute(first.id)?.value, "2")
        XCTAssertEqual(refusal(try add("3", by: oid)), .notAssignedRuntime)
        XCTAssertEqual(refusal(try add("3", attempt: 7)), .staleAttempt)
        try assertConsistent()
    }

    func testAttributesStopAtTheLimitPerProcessButAKnownKeyCanStillChange() throws {
        let runtime = try addRuntime("r")
        try submit("p")
        let p = try XCTUnwrap(try assign(runtime))
        let (rid, pid, at) = (runtime.id, p.id, tick())
        let limit = Limits.maxAttributesPerProcess
        _ = try mutate { records in
            for i in 0..<limit {
                let new = NewAttribute(
                    processId: pid, attempt: 1, type: .env, key: Text("k\(i)"), value: "v")
                _ = try records.addAttribute(new, runtime: rid, now: at)
            }
        }

        let extra = NewAttribute(processId: pid, attempt: 1, type: .env, key: "more", value: "v")
        let known = NewAttribute(processId: pid, attempt: 1, type: .env, key: "k0", value: "w")

        XCTAssertEqual(
            refusal(try mutate { try $0.addAttribute(extra, runtime: rid, now: at) }),
            .limitExceeded)
        XCTAssertEqual(
            try mutate { try $0.addAttribute(known, runtime: rid, now: at) }.get().value, "w")
        XCTAssertEqual(try store.attributes(process: pid).count, limit)
    }

    func testAttributesOfAProcessThatIsNotRunningAreRefused() throws {
        let runtime = try addRuntime("r")
        let p = try submit("p")
        let (rid, at) = (runtime.id, tick())
        let new = NewAttribute(processId: p.id, attempt: 0, type: .input, key: "k", value: "v")
        let missing = NewAttribute(
            processId: testID("none"), attempt: 0, type: .input, key: "k", value: "v")

        XCTAssertEqual(
            refusal(try mutate { try $0.addAttribute(new, runtime: rid, now: at) }), .wrongState)
        XCTAssertEqual(
            refusal(try mutate { try $0.addAttribute(missing, runtime: rid, now: at) }), .notFound)
        XCTAssertEqual(try store.attributes(process: p.id), [])
    }

    func testListingGivesTheNewestFirstAndSaysWhetherMoreRemain() throws {
        let ids = try (0..<5).map { try submit("p\($0)").id }

        let firstPage = try store.processes(colony: colonyID, state: .waiting, limit: 3)
        let all = try store.processes(colony: colonyID, state: .waiting, limit: 5)
        let none = try store.processes(colony: colonyID, state: .running, limit: 3)

        XCTAssertEqual(firstPage.processes.map(\.id), Array(ids.reversed().prefix(3)))
        XCTAssertTrue(firstPage.more)
        XCTAssertEqual(all.processes.map(\.id), ids.reversed())
        XCTAssertFalse(all.more)
        XCTAssertEqual(none.processes, [])
        XCTAssertFalse(none.more)
    }

    func testStatisticsCountEachStateWithTheTimeItsOldestEntered() throws {
        let runtime = try addRuntime("r")
        let first = try submit("a")
        try submit("b")
        try submit("c")
        let running = try XCTUnwrap(try assign(runtime))
        let (rid, at) = (runtime.id, tick())
        _ = try mutate {
            try $0.close(running.id, runtime: rid, attempt: 1, successful: true, now: at)
        }

        let stats = try store.statistics(colony: colonyID)

        XCTAssertEqual(running.id, first.id)
        XCTAssertEqual(stats.waiting.count, 2)
        XCTAssertEqual(stats.waiting.oldestAt, first.submittedAt + 1_000)
        XCTAssertEqual(stats.running, StateCount(count: 0, oldestAt: 0))
        XCTAssertEqual(stats.successful, StateCount(count: 1, oldestAt: at))
        XCTAssertEqual(stats.failed.count, 0)
    }
}
