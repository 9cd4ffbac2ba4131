import Wire

extension Records {
    /// Registers a runtime with its colony, as `pending` with `registeredAt = now` whatever
    /// the caller set. Refused with `notFound` when the colony does not exist and
    /// `alreadyExists` when the runtime id is taken (in any colony).
    public func addRuntime(_ runtime: Runtime, now: Int64) throws(StoreError)
        -> Result<Runtime, Refusal>
    {
        guard try exists(.colonies, runtime.colonyId) else {
            return .failure(.notFound("colony", runtime.colonyId))
        }
        guard try !exists(.runtimes, runtime.id) else {
            return .failure(.alreadyExists("runtime", runtime.id))
        }

        var stored = runtime
        stored.state = .pending
        stored.registeredAt = now
        try store(stored)
        return .success(stored)
    }

    /// Approves or rejects a runtime of `colony`. Refused with `notFound` when there is no
    /// such runtime in that colony.
    public func setRuntimeState(
        _ id: ID, colony: ID, _ state: RuntimeState
    ) throws(StoreError) -> Result<Runtime, Refusal> {
        guard var r = try lookup.runtime(id), r.colonyId == colony else {
            return .failure(.notFound("runtime", id))
        }

        r.state = state
        try store(r)
        return .success(r)
    }

    /// Removes a runtime of `colony` and puts the processes it was running back to waiting,
    /// counting no retry, with a fresh max-wait deadline from `now`. Returns those
    /// processes as stored. Refused with `notFound` when there is no such runtime there.
    ///
    /// Finds them through `byRuntime`, which also lists the finished processes the runtime
    /// ran: the cost grows with its history, not only with its running processes.
    public func removeRuntime(
        _ id: ID, colony: ID, now: Int64
    ) throws(StoreError) -> Result<[Process], Refusal> {
        guard let r = try lookup.runtime(id), r.colonyId == colony else {
            return .failure(.notFound("runtime", id))
        }

        var requeued: [Process] = []
        for p in try lookup.processes(in: .byRuntime, prefix: IndexKey.prefix(id))
        where p.state == .running {
            let q = Self.requeued(p, now: now)
            try store(q, replacing: p)
            requeued.append(q)
        }

        try delete(r)
        return .success(requeued)
    }
}
