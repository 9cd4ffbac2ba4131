import Glibc
import Store
import Wire

/// The child of the store's crash test: writes processes into a folder in group commits and
/// prints `ack <process id hex>` on stdout once each is durable, one `write` per line so a
/// kill never leaves half a line in the middle. Each round also assigns and closes a
/// process, so the folder holds every state. Stops by itself after 30 seconds in case its
/// parent is gone.
struct CrashWriter {
    let path: String

    /// Processes submitted per round, each its own mutation, committed together.
    let groupSize = 25

    func run() throws {
        let store = try ColonyStore(path: path)
        let runtime = try setUpColony(store, name: "crash")
        let colony = runtime.colonyId
        let spec = benchSpec(colony)
        let me = getpid()
        let stop = monotonicSeconds() + 30

        var serial = 0
        while monotonicSeconds() < stop {
            let countdown = Countdown(groupSize + 1)
            for _ in 0..<groupSize {
                serial += 1
                let (id, now) = (benchID("crash-\(me)-\(serial)"), wallNanoseconds())
                store.mutate({ records throws(StoreError) in
                    try records.submit(spec, id: id, now: now)
                }, completion: { result in
                    if case .success(.success(let p)) = result { Self.acknowledge(p.id) }
                    countdown.done()
                })
            }
            let now = wallNanoseconds()
            store.mutate({ records throws(StoreError) in
                guard let p = try records.assign(runtime: runtime, now: now) else { return }
                _ = try records.close(
                    p.id, runtime: runtime.id, attempt: p.attempt, successful: true, now: now)
            }, completion: { _ in countdown.done() })
            countdown.wait()
        }
        store.close()
    }

    private static func acknowledge(_ id: ID) {
        let line = Array("ack \(id.hex)\n".utf8)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}
