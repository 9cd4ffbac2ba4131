import Wire

extension Records {
    /// Stores a new waiting process with id `id`. Refused with `notFound` when its colony
    /// (`spec.conditions.colonyId`) does not exist and `alreadyExists` when the id is taken.
    ///
    /// `submittedAt` is `now`, or just after the previous submission when that is later, so
    /// queue order among equal priorities is commit order. `waitDeadline` is `submittedAt`
    /// plus `spec.maxWaitTime` seconds when that is positive, else 0.
    public func submit(
        _ spec: ProcessSpec, id: ID, now: Int64
    ) throws(StoreError) -> Result<Process, Refusal> {
        let colony = spec.conditions.colonyId
        guard try exists(.colonies, colony) else { return .failure(.notFound("colony", colony)) }
        guard try !exists(.processes, id) else { return .failure(.alreadyExists("process", id)) }

        let submittedAt = store.takeSubmissionTime(now)
        let p = Process(
            id: id, state: .waiting, submittedAt: submittedAt,
            waitDeadline: Self.waitDeadline(spec, from: submittedAt), spec: spec)
        try store(p, replacing: nil)
        return .success(p)
    }

    /// Gives `runtime` the highest-priority, then oldest, waiting process of its colony whose
    /// conditions admit it, and returns it as now stored: running, `attempt` one higher,
    /// assigned to the runtime, `startedAt = now`, `deadline = now + timeout` seconds when
    /// the timeout is positive (else 0), no max-wait deadline. Nil when nothing matches, or
    /// when the runtime is no longer stored in its colony or is not approved.
    ///
    /// Cost: one seek into the colony's queue, O(log n), when the head entry matches; each
    /// of the k non-matching entries before the first match adds one step and one decode
    /// of the conditions held in the queue entry: O(log n + k), without reading their
    /// records. See `RecordLookup.firstAssignable(for:)`.
    public func assign(runtime: Runtime, now: Int64) throws(StoreError) -> Process? {
        guard let stored = try lookup.assignableRuntime(runtime),
            let id = try lookup.firstAssignable(for: stored)
        else { return nil }
        guard let old = try lookup.process(id) else {
            throw .corrupt("queue entry names missing process \(id.hex)")
        }

        var p = old
        p.state = .running
        p.attempt = old.attempt &+ 1
        p.assignedRuntime = stored.id
        p.startedAt = now
        p.endedAt = 0
        p.deadline = old.spec.timeout > 0 ? Self.time(now, plus: old.spec.timeout) : 0
        p.waitDeadline = 0
        try store(p, replacing: old)
        return p
    }

    /// Ends a running process as successful or failed at `now`. Refused with `notFound`,
    /// `wrongState` unless it is running, `notAssignedRuntime` when `runtime` is not the one
    /// running it, and `staleAttempt` when `attempt` is not its current assignment.
    public func close(
        _ id: ID, runtime: ID, attempt: UInt32, successful: Bool, now: Int64
    ) throws(StoreError) -> Result<Process, Refusal> {
        let old: Process
        switch try runningProcess(id, runtime: runtime, attempt: attempt) {
        case .success(let p): old = p
        case .failure(let refusal): return .failure(refusal)
        }

        let p = Self.finished(old, successful ? .successful : .failed, now: now)
        try store(p, replacing: old)
        return .success(p)
    }

    /// Takes back an assignment whose reply could not be delivered: when the process is
    /// still running under `attempt`, it waits again with retries unchanged and a fresh
    /// max-wait deadline from `now`, and is returned as stored; otherwise nil.
    public func unassign(_ id: ID, attempt: UInt32, now: Int64) throws(StoreError) -> Process? {
        guard let old = try lookup.process(id), old.state == .running, old.attempt == attempt
        else { return nil }

        let p = Self.requeued(old, now: now)
        try store(p, replacing: old)
        return p
    }

    /// Removes a process of `colony` and its attributes, whatever its state. Refused with
    /// `notFound` when there is no such process in that colony.
    public func removeProcess(_ id: ID, colony: ID) throws(StoreError) -> Result<Void, Refusal> {
        guard let p = try lookup.process(id), p.colonyId == colony else {
            return .failure(.notFound("process", id))
        }

        try delete(p)
        return .success(())
    }

    /// The process `runtime` may report on under `attempt`, or the refusal saying why not.
    func runningProcess(
        _ id: ID, runtime: ID, attempt: UInt32
    ) throws(StoreError) -> Result<Process, Refusal> {
        guard let p = try lookup.process(id) else { return .failure(.notFound("process", id)) }
        guard p.state == .running else {
            return .failure(Refusal(.wrongState, "process \(id.hex) is \(p.state.name)"))
        }
        guard p.assignedRuntime == runtime else {
            return .failure(
                Refusal(.notAssignedRuntime, "process \(id.hex) is assigned to another runtime"))
        }
        guard p.attempt == attempt else {
            return .failure(
                Refusal(
                    .staleAttempt,
                    "process \(id.hex) is at attempt \(p.attempt), not \(attempt)"))
        }
        return .success(p)
    }
}
