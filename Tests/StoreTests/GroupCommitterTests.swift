import Foundation
import XCTest

@testable import Store

final class GroupCommitterTests: StoreTestCase {
    func testAFailingMutationAbortsAloneWhileTheRestOfItsBatchCommits() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        // Hold the writer inside a first batch so the next three queue up as one batch.
        let release = holdWriter(committer)

        let outcomes = Locked<[String: Result<Int, StoreError>]>([:])
        let done = DispatchGroup()
        for name in ["a", "b", "c"] {
            done.enter()
            committer.submit({ txn throws(StoreError) in
                try txn.put(bytes(name), for: bytes(name), in: items)
                if name == "b" { throw .conflict }
                return name.count
            }, completion: { result in
                outcomes.update { $0[name] = result }
                done.leave()
            })
        }
        release.signal()
        done.wait()

        XCTAssertEqual(try outcomes.current["a"]?.get(), 1)
        XCTAssertEqual(try outcomes.current["c"]?.get(), 1)
        XCTAssertThrowsError(try outcomes.current["b"]?.get()) { error in
            XCTAssertEqual(error as? StoreError, .conflict)
        }
        try environment.read { txn throws(StoreError) in
            XCTAssertNotNil(try txn.get(bytes("a"), in: items))
            XCTAssertNil(try txn.get(bytes("b"), in: items))
            XCTAssertNotNil(try txn.get(bytes("c"), in: items))
        }
        XCTAssertEqual(committer.batchCounts.batches, 2)
        XCTAssertEqual(committer.batchCounts.mutations, 4)
    }

    func testABatchRunsOnceWithoutFailuresAndAgainInChildTransactionsAfterOne() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        // Each round holds the writer so that its three mutations queue up as one batch.
        func runBatch(failing: String?) -> [String: Int] {
            let runs = Locked<[String: Int]>([:])
            let release = holdWriter(committer)

            let done = DispatchGroup()
            for name in ["x", "y", "z"] {
                done.enter()
                committer.submit({ txn throws(StoreError) in
                    runs.update { $0[name, default: 0] += 1 }
                    // Each run must see none of its own earlier run's writes.
                    XCTAssertNil(try txn.get(bytes(name + (failing ?? "")), in: items))
                    try txn.put(bytes(name), for: bytes(name + (failing ?? "")), in: items)
                    if name == failing { throw .conflict }
                }, completion: { _ in done.leave() })
            }
            release.signal()
            done.wait()
            return runs.current
        }

        XCTAssertEqual(runBatch(failing: nil), ["x": 1, "y": 1, "z": 1])
        // The first run stops at y's failure, before z; the second isolates each.
        XCTAssertEqual(runBatch(failing: "y"), ["x": 2, "y": 2, "z": 1])
        try environment.read { txn throws(StoreError) in
            XCTAssertNotNil(try txn.get(bytes("xy"), in: items))
            XCTAssertNil(try txn.get(bytes("yy"), in: items))
            XCTAssertNotNil(try txn.get(bytes("zy"), in: items))
        }
    }

    func testAfterABusyBatchTheNextGathersUntilFullButALoneMutationNeverWaits() throws {
        // Gathering without end, in one step (the largest values, which the deadline
        // arithmetic must survive): a batch that commits did not wait for the time.
        let (committer, put) = try gatheringCommitter(maxBatch: 4, step: .max)
        defer { committer.close() }

        // A lone mutation after nothing busy commits at once.
        try committer.write(put("first"))

        // A busy batch, then two mutations queued while it runs: they gather until the
        // batch is full, however long that takes.
        let done = DispatchGroup()
        let gathered = DispatchSemaphore(value: 0)
        try runBusyBatch(on: committer, put: put) {
            for name in ["x1", "x2"] {
                committer.submit(put(name), completion: { _ in gathered.signal() })
            }
        }
        XCTAssertEqual(gathered.wait(timeout: .now() + 0.3), .timedOut)
        for name in ["y1", "y2"] {
            done.enter()
            committer.submit(put(name), completion: { _ in done.leave() })
        }
        XCTAssertEqual(gathered.wait(timeout: .now() + 30), .success)
        done.wait()

        // After that busy batch, a lone mutation does not wait (it would, for ever).
        let lone = DispatchSemaphore(value: 0)
        committer.submit(put("lone"), completion: { _ in lone.signal() })
        XCTAssertEqual(lone.wait(timeout: .now() + 30), .success)

        // first; the holder; a, b, c; x1, x2, y1, y2; lone.
        XCTAssertEqual(committer.batchCounts.batches, 5)
        XCTAssertEqual(committer.batchCounts.mutations, 10)
    }

    func testGatheringStopsAtTheFirstStepInWhichNothingArrives() throws {
        // Gathering without end, in steps of 50 ms.
        let (committer, put) = try gatheringCommitter(maxBatch: 100, step: 50_000_000)
        defer { committer.close() }

        // Two mutations queued while a busy batch runs gather, but nothing follows them:
        // they commit after about one step.
        let done = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        try runBusyBatch(on: committer, put: put) {
            for name in ["p", "q"] {
                done.enter()
                committer.submit(put(name), completion: { _ in done.leave() })
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertLessThan(DispatchTime.now().uptimeNanoseconds - start, 30_000_000_000)
        XCTAssertEqual(committer.batchCounts.batches, 3)
    }

    /// A committer that gathers for ever after any batch of two or more, in steps of
    /// `step`, and a mutation that stores a key.
    /// Makes the mutation that stores the key it is given.
    private typealias Put =
        @Sendable (String) -> @Sendable (WriteTransaction) throws(StoreError) -> Void

    private func gatheringCommitter(maxBatch: Int, step: UInt64) throws -> (GroupCommitter, Put) {
        let environment = try LMDBEnvironment(
            path: folder, databases: ["items"],
            options: EnvironmentOptions(durability: .unsafeNoSync))
        let items = try XCTUnwrap(environment.database("items"))
        let committer = try GroupCommitter(
            environment: environment, maxBatch: maxBatch, gatherNanoseconds: .max,
            gatherStepNanoseconds: step, busyBatch: 2)
        let put: Put = { name in
            { txn throws(StoreError) in try txn.put([1], for: bytes(name), in: items) }
        }
        return (committer, put)
    }

    /// Commits a holder alone, then a, b and c as one busy batch; `whileRunning` runs while
    /// c's mutation is inside that batch, so what it submits queues up behind it.
    private func runBusyBatch(
        on committer: GroupCommitter,
        put: Put, whileRunning: () -> Void
    ) throws {
        let releaseHolder = holdWriter(committer)

        let inside = DispatchSemaphore(value: 0), releaseC = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for name in ["a", "b", "c"] {
            done.enter()
            let store = put(name)
            committer.submit({ txn throws(StoreError) in
                try store(txn)
                if name == "c" {
                    inside.signal()
                    releaseC.wait()
                }
            }, completion: { _ in done.leave() })
        }
        releaseHolder.signal()
        inside.wait()
        whileRunning()
        releaseC.signal()
        done.wait()
    }

    func testEachCompletionSeesItsBatchAlreadyCommitted() throws {
        let (environment, committer, items) = try open(EnvironmentOptions())
        defer { committer.close() }

        let visible = Locked<[Int: Bool]>([:])
        let done = DispatchGroup()
        for number in 0..<50 {
            done.enter()
            committer.submit({ txn throws(StoreError) in
                try txn.put([1], for: key(number), in: items)
            }, completion: { result in
                // A new read transaction only sees committed data.
                let seen = (try? environment.read { txn throws(StoreError) in
                    try txn.get(key(number), in: items) != nil
                }) ?? false
                visible.update { $0[number] = seen && (try? result.get()) == true }
                done.leave()
            })
        }
        done.wait()

        XCTAssertEqual(visible.current.count, 50)
        XCTAssertTrue(visible.current.values.allSatisfy { $0 })
    }

    func testWritesFromManyThreadsAllLand() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for step in 0..<50 {
                let number = thread * 1000 + step
                do {
                    try committer.write { txn throws(StoreError) in
                        try txn.put([UInt8(thread)], for: key(number), in: items)
                    }
                } catch {
                    XCTFail("write \(number) failed: \(error)")
                }
            }
        }

        let count = try environment.read { txn throws(StoreError) in
            var count = 0
            try txn.scan(items, prefix: bytes("k")) { _, _ in
                count += 1
                return true
            }
            return count
        }
        XCTAssertEqual(count, 200)
        XCTAssertEqual(committer.batchCounts.mutations, 200)
    }

    func testCloseCommitsWhatIsQueuedAndLaterSubmissionsAreRefused() throws {
        let (environment, committer, items) = try open()

        let completed = Locked(0)
        for number in 0..<200 {
            committer.submit({ txn throws(StoreError) in
                try txn.put([2], for: key(number), in: items)
            }, completion: { result in
                if case .success = result { completed.update { $0 += 1 } }
            })
        }
        committer.close()

        XCTAssertEqual(completed.current, 200)
        let refused = Locked<StoreError?>(nil)
        committer.submit({ _ throws(StoreError) in 1 }, completion: { result in
            if case .failure(let error) = result { refused.update { $0 = error } }
        })
        XCTAssertEqual(refused.current, .closed)
        assertThrows(.closed) { () throws(StoreError) in
            try committer.write { _ throws(StoreError) in 1 }
        }
        let last = try environment.read { txn throws(StoreError) in
            try txn.get(key(199), in: items)?.copiedBytes()
        }
        XCTAssertEqual(last, [2])
    }
}
