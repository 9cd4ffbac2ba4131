import Wire

extension Records {
    /// Stores a new colony. Refused with `alreadyExists` when its id is taken.
    public func addColony(_ colony: Colony) throws(StoreError) -> Result<Colony, Refusal> {
        guard try !exists(.colonies, colony.id) else {
            return .failure(.alreadyExists("colony", colony.id))
        }

        try txn.put(colony.encoded, for: colony.id.bytes, in: db.colonies)
        return .success(colony)
    }

    /// Removes the colony with everything in it, in this one transaction: its runtimes, its
    /// processes in every state with their index entries and counts, and their attributes.
    /// Refused with `notFound` when there is no such colony.
    ///
    /// The work is proportional to what the colony holds; a colony of millions of processes
    /// makes one very large transaction, which may fail with `.transactionTooLarge`.
    public func removeColony(_ id: ID) throws(StoreError) -> Result<Void, Refusal> {
        guard try exists(.colonies, id) else { return .failure(.notFound("colony", id)) }

        for runtimeID in try lookup.ids(in: .runtimesByColony, prefix: IndexKey.prefix(id)) {
            if let r = try lookup.runtime(runtimeID) { try delete(r) }
        }

        for state in ProcessState.allCases {
            let prefix = IndexKey.prefix(id, state)
            for p in try lookup.processes(in: .byState, prefix: prefix) {
                try delete(p)
            }
        }

        try txn.delete(id.bytes, in: db.colonies)
        return .success(())
    }
}
