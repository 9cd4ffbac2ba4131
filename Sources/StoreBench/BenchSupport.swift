import Foundation
import Glibc
import Store
import Wire

/// Nanoseconds since the epoch, as the store's times are.
func wallNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Seconds on the monotonic clock, for measuring.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A fresh folder under the system's temporary directory.
func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("\(name)-\(UUID().uuidString)").path
}

/// A distinct id for each label.
func benchID(_ label: String) -> ID {
    SHA3.digest(Array(label.utf8))
}

/// A plain process of `colony` that any runtime of it may run.
func benchSpec(_ colony: ID) -> ProcessSpec {
    ProcessSpec(
        conditions: Conditions(colonyId: colony), function: "echo", args: ["hello"],
        timeout: 60)
}

/// Adds a colony with one approved runtime; returns the runtime.
func setUpColony(_ store: ColonyStore, name: String) throws -> Runtime {
    let colony = Colony(id: benchID("colony-\(name)"), name: Text(name))
    let runtime = Runtime(
        id: benchID("runtime-\(name)"), colonyId: colony.id, name: "worker", type: "cpu",
        cores: 8, mem: 16384)
    let now = wallNanoseconds()
    // Refusals of an existing colony or runtime are expected when a folder is reopened.
    return try store.mutateAndWait { records throws(StoreError) -> Result<Runtime, Refusal> in
        _ = try records.addColony(colony)
        _ = try records.addRuntime(runtime, now: now)
        return try records.setRuntimeState(runtime.id, colony: colony.id, .approved)
    }.get()
}

/// A counter the writer thread's completions count down, which the caller waits on.
final class Countdown: @unchecked Sendable {
    private let condition = NSCondition()
    private var left: Int
    private(set) var failures = 0

    init(_ count: Int) {
        left = count
    }

    func done(failed: Bool = false) {
        condition.lock()
        left -= 1
        if failed { failures += 1 }
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while left > 0 { condition.wait() }
        condition.unlock()
    }
}
