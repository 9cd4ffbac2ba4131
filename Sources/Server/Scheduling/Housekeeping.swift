import Store
import Synchronization
import Wire

/// The server's clockwork: every tick it ends waiting assigns whose wait is over and, when
/// a deadline has passed, sweeps timed-out processes (back to waiting, or failed).
///
/// A deadline is therefore acted on within one tick (`ServerConfiguration.tickInterval`)
/// plus one group commit after it passes.
final class Housekeeping: Sendable {
    private let core: ServerCore
    private let sweeping = Atomic<Bool>(false)

    init(core: ServerCore) {
        self.core = core
    }

    func tick() {
        let expired = core.waiters.expire(now: Clock.monotonicNanoseconds())
        for waiter in expired { waiter.deliver(nil) }
        sweepIfDue()
    }

    private func sweepIfDue() {
        let now = Clock.wallNanoseconds()
        guard let earliest = try? core.store.earliestDeadline(), earliest <= now else { return }
        guard sweeping.compareExchange(expected: false, desired: true, ordering: .acquiring)
            .exchanged
        else { return }

        let core = self.core
        core.store.mutate({ (records: inout Records) throws(StoreError) in
            try records.sweep(now: Clock.wallNanoseconds(), limit: 1000)
        }, completion: { [self] result in
            sweeping.store(false, ordering: .releasing)
            switch result {
            case .success(let changed):
                for process in changed {
                    Housekeeping.logTimeout(process, core.log)
                    core.changed(process)
                }
            case .failure(let error):
                core.log.warning("sweep-failed", ["error": "\(error)"])
            }
        })
    }

    private static func logTimeout(_ process: Process, _ log: Log) {
        switch process.state {
        case .waiting:
            log.info(
                "reassign",
                ["process": process.id.short, "retries": "\(process.retries)",
                 "colony": process.colonyId.short])
        case .failed:
            log.info(
                "timeout-failed",
                ["process": process.id.short, "retries": "\(process.retries)",
                 "colony": process.colonyId.short])
        default:
            break
        }
    }
}
