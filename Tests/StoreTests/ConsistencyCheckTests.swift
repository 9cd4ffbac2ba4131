import Foundation
import Wire
import XCTest

@testable import Store

final class ConsistencyCheckTests: ColonyStoreTestCase {
    func testTheCheckPassesAfterARandomWorkload() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ConsistencyCheckTests random workload seed: \(seed)")
        var random = SplitMix64(seed: seed)
        var workload = Workload(test: self)
        try workload.run(steps: 400, &random)

        let report = try store.check()

        XCTAssertTrue(report.passed, "seed \(seed): \(report.problems)")
        XCTAssertGreaterThan(report.recordsScanned, 10, "seed \(seed)")
        XCTAssertGreaterThan(report.indexEntriesScanned, report.recordsScanned / 2)
        let stats = try store.statistics(colony: colonyID)
        XCTAssertGreaterThan(stats.successful.count + stats.failed.count, 0, "seed \(seed)")
        try reopen()
        XCTAssertTrue(try store.check().passed, "seed \(seed), after reopening")
    }

    func testTheCheckFailsWhenAQueueEntryIsDeleted() throws {
        let p = try submit("p", priority: 3)
        let key = IndexKey.queue(colonyID, priority: 3, submittedAt: p.submittedAt, process: p.id)
        try assertConsistent()

        try raw { txn, db throws(StoreError) in
            XCTAssertTrue(try txn.delete(key, in: db[index: .queue]))
        }

        let report = try store.check()
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.problems, ["process \(p.id.hex) lacks its queue entry"])
    }

    func testTheCheckFailsOnAStrayEntryAWrongCountAndARecordThatDoesNotDecode() throws {
        let runtime = try addRuntime("r")
        let p = try submit("p")
        let stray = IndexKey.pair(runtime.id, testID("ghost"))
        let count = IndexKey.count(colonyID, .waiting)
        let byRuntime = IndexKey.pair(runtime.id, p.id)

        try raw { txn, db throws(StoreError) in
            try txn.put([], for: stray, in: db[index: .byRuntime])
            try txn.put(CountValue.encode(7), for: count, in: db.counts)
            try txn.put([], for: byRuntime, in: db[index: .byRuntime])
            try txn.put([1, 2, 3], for: testID("junk").bytes, in: db.colonies)
        }

        let problems = try store.check().problems
        XCTAssertEqual(problems.count, 4, "\(problems)")
        let (junk, ghost) = (testID("junk").hex, testID("ghost").hex)
        XCTAssertTrue(problems.contains { $0.hasPrefix("colonies record \(junk)") })
        XCTAssertTrue(problems.contains("byRuntime entry names missing record \(ghost)"))
        let disagrees = "byRuntime entry for \(p.id.hex) disagrees with its record"
        XCTAssertTrue(problems.contains(disagrees))
        XCTAssertTrue(problems.contains { $0.hasSuffix("waiting is 7, recount 1") })
    }

    func testTheCheckFailsWhenAnIndexValueDisagreesWithItsRecord() throws {
        let runtime = try addRuntime("r")
        let key = IndexKey.runtimeOfColony(colonyID, runtime.id)

        try raw { txn, db throws(StoreError) in
            let rejected = [RuntimeState.rejected.rawValue]
            try txn.put(rejected, for: key, in: db[index: .runtimesByColony])
        }

        let report = try store.check()
        XCTAssertEqual(report.problemCount, 2, "\(report.problems)")
        XCTAssertTrue(report.problems.contains(
            "runtime \(runtime.id.hex) has a runtimesByColony entry with another value"))
    }

    /// Writes around `Records`, as a bug or damage would.
    private func raw(
        _ body: @escaping @Sendable (WriteTransaction, StoreDatabases) throws(StoreError) -> Void
    ) throws {
        let db = store.databases
        try store.committer.write { txn throws(StoreError) in try body(txn, db) }
    }
}

/// Random mutations of every kind, so the check sees the store in many shapes.
struct Workload {
    let test: ColonyStoreTestCase
    var runtimes: [Runtime] = []
    var submitted = 0

    init(test: ColonyStoreTestCase) {
        self.test = test
    }

    mutating func run(steps: Int, _ random: inout SplitMix64) throws {
        for name in ["a", "b", "c"] {
            runtimes.append(try test.addRuntime(name, mem: UInt64(name.count * 1000)))
        }
        for _ in 0..<steps {
            try step(Int.random(in: 0..<10, using: &random), &random)
        }
    }

    private mutating func step(_ kind: Int, _ random: inout SplitMix64) throws {
        let store = test.store!, colony = test.colonyID
        let at = test.tick(Int64.random(in: 1...5, using: &random) * second)
        switch kind {
        case 0...2:
            submitted += 1
            let mem = UInt64.random(in: 0...2, using: &random) * 1000
            try test.submit(
                "w\(submitted)", priority: Int32.random(in: -2...2, using: &random),
                conditions: Conditions(colonyId: colony, mem: mem),
                timeout: [-1, 3, 8].randomElement(using: &random)!,
                maxWaitTime: [-1, 5, 20].randomElement(using: &random)!,
                maxRetries: [-1, 0, 1].randomElement(using: &random)!)
        case 3, 4:
            if let runtime = runtimes.randomElement(using: &random) {
                _ = try test.assign(runtime)
            }
        case 5:
            let running = try store.processes(colony: colony, state: .running, limit: 1000)
            if let p = running.processes.randomElement(using: &random),
                let rid = p.assignedRuntime
            {
                let (ok, attempt) = (Bool.random(using: &random), p.attempt)
                let new = NewAttribute(
                    processId: p.id, attempt: attempt, type: .output, key: "o", value: "v")
                _ = try test.mutate { records in
                    _ = try records.addAttribute(new, runtime: rid, now: at).get()
                    return try records.close(
                        p.id, runtime: rid, attempt: attempt, successful: ok, now: at
                    ).get()
                }
            }
        case 6:
            _ = try test.sweep(at: at)
        case 7:
            let running = try store.processes(colony: colony, state: .running, limit: 1000)
            if let p = running.processes.randomElement(using: &random) {
                _ = try test.mutate { try $0.unassign(p.id, attempt: p.attempt, now: at) }
            }
        case 8:
            let state = ProcessState.allCases.randomElement(using: &random)!
            let listed = try store.processes(colony: colony, state: state, limit: 1000)
            if let p = listed.processes.randomElement(using: &random) {
                _ = try test.mutate { try $0.removeProcess(p.id, colony: colony) }
            }
        default:
            try replaceARuntime(&random)
        }
    }

    private mutating func replaceARuntime(_ random: inout SplitMix64) throws {
        let index = Int.random(in: 0..<runtimes.count, using: &random)
        let (old, colony, at) = (runtimes[index], test.colonyID, test.tick())
        _ = try test.mutate { try $0.removeRuntime(old.id, colony: colony, now: at) }.get()
        submitted += 1
        runtimes[index] = try test.addRuntime("n\(submitted)", mem: old.mem)
    }
}
