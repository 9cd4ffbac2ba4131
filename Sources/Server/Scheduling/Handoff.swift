import Store
import Wire

/// A waiting runtime claimed by a submit, so that the new process is assigned to it in the
/// submit's own transaction: the runtime is woken by the same commit (and the same sync) that
/// makes the submit durable, instead of by a second commit after it.
///
/// Every method runs on the group committer's writer thread (the claim in the submit's
/// mutation, the rest in its completion), one after another, hence no lock. The mutation may
/// run more than once (its batch retried after the map grows, or after another mutation of it
/// failed); it then uses the waiter it claimed the first time.
final class Handoff: @unchecked Sendable {
    private let core: ServerCore
    private let conditions: Conditions
    private var claimed: Waiter?
    private var looked = false

    init(core: ServerCore, conditions: Conditions) {
        self.core = core
        self.conditions = conditions
    }

    /// In the submit's transaction, after the process is stored: gives the longest-waiting
    /// runtime that meets the conditions its next process (normally the one just stored).
    func assign(_ records: inout Records, now: Int64) throws(StoreError) -> Process? {
        if !looked {
            looked = true
            claimed = core.waiters.takeOldest(admittedBy: conditions)
        }
        guard let waiter = claimed else { return nil }
        return try records.assign(runtime: waiter.runtime, now: now)
    }

    /// The submit is durable: tells subscribers of the new process and hands the assignment
    /// to the claimed runtime. Without one, the process is offered as any new work is.
    func committed(_ submitted: Process, assigned: Process?) {
        guard let waiter = claimed else {
            core.changed(submitted)
            return
        }
        guard let assigned else {
            // The runtime was no longer approved: it keeps its place, the work is offered on.
            core.waiters.park(waiter)
            core.changed(submitted)
            return
        }

        if assigned.id == submitted.id {
            core.subscriptions.publish(submitted)
        } else {
            core.changed(submitted)
        }
        waiter.deliver(assigned)
    }

    /// The submit was refused or did not commit: the claimed runtime waits on.
    func released() {
        if let waiter = claimed { core.waiters.park(waiter) }
    }
}
