import Wire

/// The reads. Each runs in one short read transaction from any thread and sees the latest
/// committed state. Records are copied out of the map once and decoded from that copy
/// (see `RecordLookup`). A record that does not decode throws `.corrupt`.
extension ColonyStore {
    public func colony(_ id: ID) throws(StoreError) -> Colony? {
        try lookup { l throws(StoreError) in try l.colony(id) }
    }

    /// Every colony, in id order.
    public func colonies() throws(StoreError) -> [Colony] {
        try lookup { l throws(StoreError) in
            var found: [Colony] = []
            try l.txn.scan(databases.colonies, prefix: []) { key, value throws(StoreError) in
                let id = ID(bytes: key) ?? .zero
                found.append(try RecordLookup.decode(value.copiedBytes(), .colonies, id))
                return true
            }
            return found
        }
    }

    public func runtime(_ id: ID) throws(StoreError) -> Runtime? {
        try lookup { l throws(StoreError) in try l.runtime(id) }
    }

    /// The runtimes of `colony`, in id order.
    public func runtimes(colony: ID) throws(StoreError) -> [Runtime] {
        try lookup { l throws(StoreError) in
            var found: [Runtime] = []
            for id in try l.ids(in: .runtimesByColony, prefix: IndexKey.prefix(colony)) {
                guard let r = try l.runtime(id) else {
                    throw .corrupt("runtimesByColony names missing runtime \(id.hex)")
                }
                found.append(r)
            }
            return found
        }
    }

    public func process(_ id: ID) throws(StoreError) -> Process? {
        try lookup { l throws(StoreError) in try l.process(id) }
    }

    /// Up to `limit` processes of `colony` in `state`, the one that entered it last first
    /// (waiting by submission, running by start, final ones by end), and whether there are
    /// more. Costs one seek plus `limit` record reads.
    public func processes(
        colony: ID, state: ProcessState, limit: Int
    ) throws(StoreError) -> (processes: [Process], more: Bool) {
        let limit = max(0, limit)
        return try lookup { l throws(StoreError) in
            let ids = try l.ids(
                in: .byState, prefix: IndexKey.prefix(colony, state), direction: .backward,
                limit: limit == .max ? limit : limit + 1)
            var found: [Process] = []
            for id in ids.prefix(limit) {
                guard let p = try l.process(id) else {
                    throw .corrupt("byState names missing process \(id.hex)")
                }
                found.append(p)
            }
            return (found, ids.count > limit)
        }
    }

    /// The attributes of `process`, in attribute-id order.
    public func attributes(process: ID) throws(StoreError) -> [Attribute] {
        try lookup { l throws(StoreError) in
            var found: [Attribute] = []
            for id in try l.ids(in: .attributesByProcess, prefix: IndexKey.prefix(process)) {
                guard let a = try l.attribute(id) else {
                    throw .corrupt("attributesByProcess names missing attribute \(id.hex)")
                }
                found.append(a)
            }
            return found
        }
    }

    public func attribute(_ id: ID) throws(StoreError) -> Attribute? {
        try lookup { l throws(StoreError) in try l.attribute(id) }
    }

    /// The colony's counts: processes per state from the counts index, and for each state
    /// the time its longest-standing process entered it (one seek each, O(log n)). Runtimes
    /// are counted from the colony's `runtimesByColony` entries, which hold their state.
    public func statistics(colony: ID) throws(StoreError) -> Statistics {
        try lookup { l throws(StoreError) in
            var runtimes: UInt64 = 0, approved: UInt64 = 0
            try l.txn.scan(databases[index: .runtimesByColony], prefix: IndexKey.prefix(colony)) {
                _, value throws(StoreError) in
                runtimes += 1
                if value.first == RuntimeState.approved.rawValue { approved += 1 }
                return true
            }

            func count(_ state: ProcessState) throws(StoreError) -> StateCount {
                StateCount(
                    count: try l.count(colony, state), oldestAt: try l.oldestEntered(colony, state))
            }
            return Statistics(
                colonyId: colony, runtimes: runtimes, approvedRuntimes: approved,
                waiting: try count(.waiting), running: try count(.running),
                successful: try count(.successful), failed: try count(.failed))
        }
    }

    /// The earliest running deadline or maximum-wait deadline of any process, nil when no
    /// process has one: when the next `Records.sweep` has work.
    public func earliestDeadline() throws(StoreError) -> Int64? {
        try lookup { l throws(StoreError) in
            let times = [
                try l.firstDeadline(.runningByDeadline), try l.firstDeadline(.waitingByDeadline),
            ]
            return times.compactMap { $0 }.min()
        }
    }

    /// The process `Records.assign(runtime:now:)` would give `runtime` now, by the same
    /// query, without changing anything. Nil also when the runtime is not stored, not of its
    /// colony, or not approved.
    public func nextAssignable(for runtime: Runtime) throws(StoreError) -> Process? {
        try lookup { l throws(StoreError) in try l.nextAssignable(for: runtime) }
    }

    /// Runs `body` in one read transaction.
    func lookup<T>(_ body: (RecordLookup) throws(StoreError) -> T) throws(StoreError) -> T {
        try environment.read { txn throws(StoreError) in
            try body(RecordLookup(txn: txn, db: databases))
        }
    }
}
