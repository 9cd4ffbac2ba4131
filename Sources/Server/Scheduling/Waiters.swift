import Store
import Wire

/// A runtime parked in a waiting assign: the server holds its request open until work it may
/// take arrives or its wait ends.
struct Waiter: Sendable {
    /// Unique for the server's lifetime; the timer and the connection find it by this.
    let token: UInt64
    let runtime: Runtime
    let connectionToken: UInt64
    let requestId: UInt32
    /// When it started waiting, for first-come-first-served among equals.
    let since: Int64
    /// Monotonic time at which its wait ends.
    let until: Int64
    /// Hands the outcome to the runtime's connection; an assignment it cannot deliver is
    /// handed back to the queue.
    let deliver: @Sendable (Process?) -> Void
}

/// The parked waiters of every colony, oldest first.
///
/// Parking and waking happen in the group committer's completions, in commit order, which
/// is what keeps wake-ups from being lost (see `Scheduler`). Timers and closing connections
/// remove waiters from the loop threads, hence the lock.
final class Waiters: Sendable {
    fileprivate struct State {
        var byColony: [ID: [Waiter]] = [:]
    }

    fileprivate let state = Locked(State())

    /// Adds a waiter, keeping each colony's list ordered by `since`, then `token`.
    func park(_ waiter: Waiter) {
        state.withLock { s in
            var list = s.byColony[waiter.runtime.colonyId, default: []]
            let index = list.firstIndex {
                ($0.since, $0.token) > (waiter.since, waiter.token)
            } ?? list.endIndex
            list.insert(waiter, at: index)
            s.byColony[waiter.runtime.colonyId] = list
        }
    }

    /// Removes and returns the waiter with `token`, if it is still parked.
    func remove(token: UInt64, colony: ID) -> Waiter? {
        state.withLock { s in
            guard var list = s.byColony[colony],
                let index = list.firstIndex(where: { $0.token == token })
            else { return nil }
            let waiter = list.remove(at: index)
            s.byColony[colony] = list.isEmpty ? nil : list
            return waiter
        }
    }

    /// Removes every waiter of a connection that closed.
    func removeAll(connectionToken: UInt64) {
        state.withLock { s in
            for (colony, list) in s.byColony {
                let kept = list.filter { $0.connectionToken != connectionToken }
                if kept.count != list.count { s.byColony[colony] = kept.isEmpty ? nil : kept }
            }
        }
    }

    /// Removes and returns the longest-waiting runtime of the process's colony that meets
    /// its conditions.
    func takeOldest(admittedBy conditions: Conditions) -> Waiter? {
        state.withLock { s in
            guard var list = s.byColony[conditions.colonyId],
                let index = list.firstIndex(where: { conditions.admit($0.runtime) })
            else { return nil }
            let waiter = list.remove(at: index)
            s.byColony[conditions.colonyId] = list.isEmpty ? nil : list
            return waiter
        }
    }

    /// Removes every waiter of a runtime (when it is removed or loses approval).
    func removeAll(runtime: ID, colony: ID) -> [Waiter] {
        state.withLock { s in
            guard let list = s.byColony[colony] else { return [] }
            let gone = list.filter { $0.runtime.id == runtime }
            let kept = list.filter { $0.runtime.id != runtime }
            s.byColony[colony] = kept.isEmpty ? nil : kept
            return gone
        }
    }

    var count: Int {
        state.withLock { s in s.byColony.values.reduce(0) { $0 + $1.count } }
    }
}

extension Waiters {
    /// Removes and returns the waiters whose wait has ended by monotonic time `now`.
    func expire(now: Int64) -> [Waiter] {
        state.withLock { s in
            var expired: [Waiter] = []
            for (colony, list) in s.byColony where list.contains(where: { $0.until <= now }) {
                expired += list.filter { $0.until <= now }
                let kept = list.filter { $0.until > now }
                s.byColony[colony] = kept.isEmpty ? nil : kept
            }
            return expired
        }
    }

    /// Removes and returns every waiter of a removed colony.
    func removeAll(colony: ID) -> [Waiter] {
        state.withLock { s in s.byColony.removeValue(forKey: colony) ?? [] }
    }
}
