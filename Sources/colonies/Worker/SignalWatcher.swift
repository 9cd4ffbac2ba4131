import Foundation
import Glibc

/// Turns SIGINT and SIGTERM into calls on a thread of its own, so that nothing happens in
/// a signal handler: the signals are blocked and taken with sigwait.
enum SignalWatcher {
    /// Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts
    /// afterwards (call it before starting any), then calls `handler` with each that
    /// arrives, on a dedicated thread. Programs the worker starts unblock them again.
    static func start(_ handler: @escaping @Sendable (Int32) -> Void) {
        var signals = watchedSignals()
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let thread = Thread {
            var signals = watchedSignals()
            while true {
                var signal: Int32 = 0
                if sigwait(&signals, &signal) == 0 { handler(signal) }
            }
        }
        thread.name = "colonies-signals"
        thread.start()
    }

    private static func watchedSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }
}
