import Store
import Wire

/// Matching runtimes to work: direct assigns, waiting assigns and the wake-ups that end them.
///
/// Why no wake-up is lost: parking a waiter and waking one both happen in group-commit
/// completions, which run one at a time in commit order. A waiter whose assign committed
/// before a submit is parked before that submit's completion looks for waiters; a waiter
/// whose assign committed after the submit saw the new process in its own assign. A submit
/// also claims a parked waiter in its own mutation (`Handoff`); mutations and completions
/// share the writer thread, so it sees exactly the waiters parked by earlier commits.
struct Scheduling {
    let core: ServerCore

    /// Answers an assign request: work now if there is some, else (when `waitSeconds` > 0)
    /// park the runtime until work arrives or the wait ends.
    func assign(
        runtime: Runtime, waitSeconds: UInt16, connection: Connection<RequestHandler>,
        requestId: UInt32
    ) {
        guard connection.state.inFlight < core.configuration.maxInFlightPerConnection else {
            let bytes = connection.state.encoder.error(
                .overloaded, "too many requests in flight; wait for replies", requestId: requestId)
            connection.sendRaw(bytes)
            return
        }
        connection.state.inFlight += 1

        let responder = Responder(connection: connection, requestId: requestId, type: .assignProcess)
        let until = Clock.monotonicNanoseconds() + Int64(waitSeconds) * 1_000_000_000
        let core = self.core
        let waiter = Waiter(
            token: core.nextToken(), runtime: runtime, connectionToken: connection.state.token,
            requestId: requestId, since: Clock.wallNanoseconds(), until: until,
            deliver: { process in Scheduling(core: core).deliver(process, through: responder) })

        core.store.mutate({ (records: inout Records) throws(StoreError) in
            try records.assign(runtime: runtime, now: Clock.wallNanoseconds())
        }, completion: { result in
            switch result {
            case .success(let process?):
                waiter.deliver(process)
            case .success(nil):
                if waitSeconds > 0 && Clock.monotonicNanoseconds() < until {
                    core.waiters.park(waiter)
                } else {
                    waiter.deliver(nil)
                }
            case .failure(let error):
                responder.send(.failure(Refusal(storeError: error)))
            }
        })
    }

    /// Sends an assignment (or "no work") to a runtime; an assignment that cannot be
    /// delivered is handed back so that another runtime gets it.
    func deliver(_ process: Process?, through responder: Responder) {
        let core = self.core
        if let process {
            core.log.debug(
                "assigned",
                ["process": process.id.short, "runtime": process.assignedRuntime?.short ?? "-",
                 "attempt": "\(process.attempt)"])
            core.changed(process)
        }
        responder.send(.success(.assignment(process))) {
            guard let process else { return }
            Scheduling(core: core).handBack(process)
        }
    }

    /// Puts an undelivered assignment back to waiting, if nothing has moved it on since.
    func handBack(_ process: Process) {
        let core = self.core
        core.log.info(
            "assignment-undelivered",
            ["process": process.id.short, "runtime": process.assignedRuntime?.short ?? "-"])
        core.store.mutate({ (records: inout Records) throws(StoreError) in
            try records.unassign(process.id, attempt: process.attempt, now: Clock.wallNanoseconds())
        }, completion: { result in
            if case .success(let back?) = result { core.changed(back) }
        })
    }

    /// A process became waiting: give it to the longest-waiting runtime that may take it.
    /// Runs in a commit completion.
    func workArrived(_ process: Process) {
        guard process.state == .waiting,
            let waiter = core.waiters.takeOldest(admittedBy: process.spec.conditions)
        else { return }

        let core = self.core
        core.store.mutate({ (records: inout Records) throws(StoreError) in
            try records.assign(runtime: waiter.runtime, now: Clock.wallNanoseconds())
        }, completion: { result in
            switch result {
            case .success(let assigned?):
                waiter.deliver(assigned)
            case .success(nil):
                // Another runtime took it first; this one keeps its place in line.
                core.waiters.park(waiter)
            case .failure:
                waiter.deliver(nil)
            }
        })
    }
}

extension ServerCore {
    /// A runtime was rejected or removed: its waiting assigns are answered "no work" now
    /// rather than held until their waits end (its next assign is refused).
    func dismissWaiters(of runtime: ID, colony: ID) {
        for waiter in waiters.removeAll(runtime: runtime, colony: colony) { waiter.deliver(nil) }
    }

    /// A process changed and the change is durable: tell subscribers, and offer it to
    /// waiting runtimes if it waits. Runs in commit completions, in commit order.
    func changed(_ process: Process) {
        subscriptions.publish(process)
        if process.state == .waiting {
            Scheduling(core: self).workArrived(process)
        }
    }
}
