import Wire

/// The changes the server makes, over one write transaction of a group-commit mutation:
///
///     store.submit({ txn in try Records(txn, store).assign(runtime: r, now: now) },
///                  completion: { result in ... })
///
/// Each method keeps every index in step with the records it writes, in the same
/// transaction. Methods that a rule can refuse return `Result<T, Refusal>`; they check
/// everything before writing anything, so a refusal leaves no trace. `StoreError`s (the map
/// full, a record that does not decode) are thrown and abort the whole mutation.
///
/// Times are nanoseconds since the epoch, passed in as `now` so tests can move the clock.
/// Valid only inside the mutation that made it; like its transaction, it is not `Sendable`.
///
/// Removal policy, each step in one transaction so a crash leaves it fully done or not
/// at all:
/// - removing a colony removes its runtimes, its processes in every state, and their
///   attributes;
/// - removing a runtime puts its running processes back to waiting, with no retry counted;
///   finished processes keep naming it as the runtime that ran them;
/// - removing a process removes it and its attributes, whatever its state.
public struct Records {
    let txn: WriteTransaction
    let store: ColonyStore

    /// Wraps the transaction a mutation received from `store`'s committer.
    public init(_ transaction: WriteTransaction, _ store: ColonyStore) {
        txn = transaction
        self.store = store
    }

    var db: StoreDatabases { store.databases }

    var lookup: RecordLookup { RecordLookup(txn: txn, db: db) }

    /// Whether a record of `kind` is stored under `id`, without decoding it.
    func exists(_ kind: RecordName, _ id: ID) throws(StoreError) -> Bool {
        try txn.get(id.bytes, in: db[record: kind]) != nil
    }

    /// `now` plus `seconds`, saturating, for deadlines computed from stored limits.
    static func time(_ now: Int64, plus seconds: Int32) -> Int64 {
        let (product, overflowA) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflowB) = now.addingReportingOverflow(product)
        return overflowA || overflowB ? .max : sum
    }

    /// The max-wait deadline of a process that starts waiting at `now`: 0 without a limit.
    static func waitDeadline(_ spec: ProcessSpec, from now: Int64) -> Int64 {
        spec.maxWaitTime > 0 ? time(now, plus: spec.maxWaitTime) : 0
    }
}
