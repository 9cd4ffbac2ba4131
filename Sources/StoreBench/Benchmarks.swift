import Dispatch
import Foundation
import Store
import Wire

/// Throughput of the store, printed as it is measured. Not a test: the numbers depend on the
/// machine and its disk.
enum Benchmarks {
    static func runAll() throws {
        print("store-bench: durable mutations (each submits one process, fsync per commit)")
        try durableMutations()
        print("store-bench: next-assignable lookups (read-only, the head of the queue matches)")
        try assignableLookups()
    }

    /// Mutations per second when each commit holds 1, 10, 100 or 1000 of them.
    static func durableMutations() throws {
        let folder = temporaryFolder("store-bench-durable")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ColonyStore(path: folder)
        defer { store.close() }
        let colony = try setUpColony(store, name: "durable").colonyId

        var serial = 0
        for (group, rounds) in [(1, 2000), (10, 500), (100, 100), (1000, 20)] {
            let start = monotonicSeconds()
            for _ in 0..<rounds {
                try commitGroup(store, colony: colony, size: group, serial: &serial)
            }
            let seconds = monotonicSeconds() - start
            let total = group * rounds
            print(
                "  group of \(pad(group, 4)): \(pad(Int(Double(total) / seconds), 7)) "
                    + "mutations/s  (\(rounds) commits, \(format(seconds)) s)")
        }
    }

    /// Queues `size` mutations while the writer is held, so they commit as one batch.
    private static func commitGroup(
        _ store: ColonyStore, colony: ID, size: Int, serial: inout Int
    ) throws {
        let gate = DispatchSemaphore(value: 0), held = DispatchSemaphore(value: 0)
        // Writes nothing, so its batch commits without touching the disk.
        store.submit({ _ throws(StoreError) in
            held.signal()
            gate.wait()
        }, completion: { _ in })
        held.wait()

        let countdown = Countdown(size)
        let spec = benchSpec(colony)
        for _ in 0..<size {
            serial += 1
            let (id, now) = (benchID("durable-\(serial)"), wallNanoseconds())
            store.mutate({ records throws(StoreError) in
                try records.submit(spec, id: id, now: now)
            }, completion: { result in
                countdown.done(failed: (try? result.get().get()) == nil)
            })
        }
        gate.signal()
        countdown.wait()
        if countdown.failures > 0 { throw BenchFailure("\(countdown.failures) submits failed") }
    }

    /// Lookups per second with 1k and then 1M processes waiting.
    static func assignableLookups() throws {
        let folder = temporaryFolder("store-bench-lookup")
        defer { try? FileManager.default.removeItem(atPath: folder) }

        var waiting = 0
        for target in [1_000, 1_000_000] {
            // The fill alone runs without fsync; it measures nothing.
            let fillStart = monotonicSeconds()
            let filler = try ColonyStore(
                path: folder, options: EnvironmentOptions(durability: .unsafeNoSync))
            let runtime = try setUpColony(filler, name: "lookup")
            try fill(filler, colony: runtime.colonyId, from: waiting, to: target)
            filler.close()
            waiting = target
            let fillSeconds = monotonicSeconds() - fillStart

            let store = try ColonyStore(path: folder)
            defer { store.close() }
            let (rate, found) = try lookupRate(store, runtime)
            print(
                "  \(pad(target, 7)) waiting: \(pad(Int(rate), 7)) lookups/s"
                    + "  (filled in \(format(fillSeconds)) s with unsafeNoSync; head \(found))")
        }
    }

    /// Submits processes `from..<to` in mutations of 5000, many queued at once.
    private static func fill(_ store: ColonyStore, colony: ID, from: Int, to: Int) throws {
        let chunk = 5000
        let chunks = stride(from: from, to: to, by: chunk).map { ($0, min($0 + chunk, to)) }
        let countdown = Countdown(chunks.count)
        let spec = benchSpec(colony)
        for (start, end) in chunks {
            let now = wallNanoseconds()
            store.mutate({ records throws(StoreError) -> Int in
                var refused = 0
                for n in start..<end {
                    let result = try records.submit(spec, id: benchID("lookup-\(n)"), now: now)
                    if case .failure = result { refused += 1 }
                }
                return refused
            }, completion: { result in
                countdown.done(failed: (try? result.get()) != 0)
            })
        }
        countdown.wait()
        if countdown.failures > 0 { throw BenchFailure("\(countdown.failures) fills failed") }
    }

    /// Calls `nextAssignable` for about a second, after a thousand calls to warm up.
    private static func lookupRate(
        _ store: ColonyStore, _ runtime: Runtime
    ) throws -> (Double, String) {
        var head = try store.nextAssignable(for: runtime)
        for _ in 0..<1000 {
            head = try store.nextAssignable(for: runtime)
        }

        var calls = 0
        let start = monotonicSeconds()
        var elapsed = 0.0
        while elapsed < 1.0 {
            for _ in 0..<1000 {
                head = try store.nextAssignable(for: runtime)
            }
            calls += 1000
            elapsed = monotonicSeconds() - start
        }
        return (Double(calls) / elapsed, head == nil ? "missing" : "found")
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.2f", seconds)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
