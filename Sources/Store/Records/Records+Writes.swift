import Wire

/// Writing and deleting records together with their index entries. Process indexes are
/// updated by diffing the entries `ProcessEntries` derives from the old and the new record,
/// so a change writes only the keys that move.
extension Records {
    /// Stores `new` over `old` (nil for a new process), with its index entries and counts.
    func store(_ new: Process, replacing old: Process?) throws(StoreError) {
        try txn.put(new.encoded, for: new.id.bytes, in: db.processes)
        try updateIndexes(from: old.map(ProcessEntries.init), to: ProcessEntries(new))
    }

    /// Deletes the process record, its index entries and its attributes.
    func delete(_ old: Process) throws(StoreError) {
        try deleteAttributes(of: old.id)
        try txn.delete(old.id.bytes, in: db.processes)
        try updateIndexes(from: ProcessEntries(old), to: nil)
    }

    private func updateIndexes(
        from old: ProcessEntries?, to new: ProcessEntries?
    ) throws(StoreError) {
        let before = old?.entries ?? [], after = new?.entries ?? []

        // A missing entry is not an error here: `check()` reports it, and removal goes on.
        for e in before where !after.contains(where: { $0.index == e.index && $0.key == e.key }) {
            try txn.delete(e.key, in: db[index: e.index])
        }
        for e in after where !before.contains(e) {
            try txn.put(e.value, for: e.key, in: db[index: e.index])
        }

        if old?.countKey != new?.countKey {
            if let key = old?.countKey { try adjustCount(key, down: true) }
            if let key = new?.countKey { try adjustCount(key, down: false) }
        }
    }

    /// Adds or removes one; a count that reaches zero is deleted, so a removed colony
    /// leaves no keys behind. A count already at zero stays there (`check()` reports it).
    private func adjustCount(_ key: [UInt8], down: Bool) throws(StoreError) {
        let current = try txn.get(key, in: db.counts).flatMap { CountValue.decode($0) } ?? 0
        let next = down ? (current == 0 ? 0 : current - 1) : current + 1
        if next == 0 {
            try txn.delete(key, in: db.counts)
        } else {
            try txn.put(CountValue.encode(next), for: key, in: db.counts)
        }
    }

    func store(_ r: Runtime) throws(StoreError) {
        try txn.put(r.encoded, for: r.id.bytes, in: db.runtimes)
        let entry = RecordEntries.of(r)
        try txn.put(entry.value, for: entry.key, in: db[index: entry.index])
    }

    func delete(_ r: Runtime) throws(StoreError) {
        try txn.delete(r.id.bytes, in: db.runtimes)
        let entry = RecordEntries.of(r)
        try txn.delete(entry.key, in: db[index: entry.index])
    }

    func store(_ a: Attribute) throws(StoreError) {
        try txn.put(a.encoded, for: a.id.bytes, in: db.attributes)
        let entry = RecordEntries.of(a)
        try txn.put(entry.value, for: entry.key, in: db[index: entry.index])
    }

    /// Deletes every attribute of `process` and its index entries.
    func deleteAttributes(of process: ID) throws(StoreError) {
        let ids = try lookup.ids(in: .attributesByProcess, prefix: IndexKey.prefix(process))
        for id in ids {
            try txn.delete(id.bytes, in: db.attributes)
            try txn.delete(IndexKey.pair(process, id), in: db[index: .attributesByProcess])
        }
    }

    /// The process as it goes back to the queue at `now`: unassigned, not started, with a
    /// fresh max-wait deadline. It keeps `submittedAt`, and so its place in the queue;
    /// `attempt` stays, and the next assignment raises it, which makes the old one stale.
    static func requeued(_ p: Process, now: Int64) -> Process {
        var q = p
        q.state = .waiting
        q.assignedRuntime = nil
        q.startedAt = 0
        q.endedAt = 0
        q.deadline = 0
        q.waitDeadline = waitDeadline(p.spec, from: now)
        return q
    }

    /// The process as it ends at `now` in `state`.
    static func finished(_ p: Process, _ state: ProcessState, now: Int64) -> Process {
        var q = p
        q.state = state
        q.endedAt = now
        q.deadline = 0
        q.waitDeadline = 0
        return q
    }
}
