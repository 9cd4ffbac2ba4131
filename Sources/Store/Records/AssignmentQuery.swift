import Wire

extension RecordLookup {
    /// The stored version of `runtime` when it may be given work: it still exists, in the
    /// same colony, and is approved. A runtime removed or rejected after the caller read it
    /// gets nothing.
    func assignableRuntime(_ runtime: Runtime) throws(StoreError) -> Runtime? {
        guard let stored = try self.runtime(runtime.id),
            stored.colonyId == runtime.colonyId, stored.state == .approved
        else { return nil }
        return stored
    }

    /// The id of the waiting process `runtime` should run next: the first entry of its
    /// colony's queue (priority descending, then submitted ascending) whose conditions admit
    /// it.
    ///
    /// Cost: one seek, O(log n) in the queue's size, then one step and one decode of the
    /// conditions kept in the queue entry for each of the k entries before the first match
    /// that do not admit the runtime: O(log n + k). No process record is read while
    /// skipping. When nothing matches, k is the colony's whole queue.
    func firstAssignable(for runtime: Runtime) throws(StoreError) -> ID? {
        var found: ID?
        try txn.scan(db[index: .queue], prefix: IndexKey.prefix(runtime.colonyId)) {
            key, value throws(StoreError) in
            let conditions: Conditions
            do {
                conditions = try Conditions.decode(exactly: value.copiedBytes())
            } catch {
                throw .corrupt("queue entry does not decode: \(error)")
            }
            guard conditions.admit(runtime) else { return true }

            guard let id = IndexKey.trailingID(key) else {
                throw .corrupt("queue key of \(key.count) bytes")
            }
            found = id
            return false
        }
        return found
    }

    /// The process `assign` would hand `runtime` now, without changing anything.
    func nextAssignable(for runtime: Runtime) throws(StoreError) -> Process? {
        guard let stored = try assignableRuntime(runtime),
            let id = try firstAssignable(for: stored)
        else { return nil }

        guard let p = try process(id) else {
            throw .corrupt("queue entry names missing process \(id.hex)")
        }
        return p
    }
}
