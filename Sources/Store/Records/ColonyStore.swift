import Synchronization
import Wire

/// The server's data layer: colonies, runtimes, processes and attributes, with their
/// secondary indexes, in one LMDB data folder.
///
/// Reads (`colony(_:)`, `processes(colony:state:limit:)`, ...) run from any thread, each in
/// one short read transaction. Changes are methods of `Records`, run inside a group-commit
/// mutation through `mutate(_:completion:)` or `submit(_:completion:)`, so that one commit
/// and one fsync cover many of them and each reply is sent only once its change is durable.
///
/// Every record is stored as the canonical wire encoding of its model, keyed by its id, and
/// every index entry is written in the same transaction as the record it derives from.
public final class ColonyStore: Sendable {
    public let environment: LMDBEnvironment
    public let committer: GroupCommitter
    let databases: StoreDatabases

    /// The last `submittedAt` handed out. Queue order must equal commit order, and the
    /// writer thread runs mutations in commit order, so each submission takes a time after
    /// the previous one even when the clock stalls or steps back.
    private let lastSubmittedAt: Atomic<Int64>

    /// Opens (creating if needed) the data folder at `path` and starts its writer thread.
    /// - Throws: what `LMDBEnvironment.init` and `GroupCommitter.init` throw.
    public init(
        path: String, options: EnvironmentOptions = EnvironmentOptions(), maxBatch: Int = 1024
    ) throws(StoreError) {
        let environment = try LMDBEnvironment(
            path: path, databases: StoreDatabases.names, options: options)
        let databases = try StoreDatabases(environment)
        let newest = try environment.read { txn throws(StoreError) in
            try Self.newestSubmission(RecordLookup(txn: txn, db: databases))
        }

        self.environment = environment
        self.databases = databases
        lastSubmittedAt = Atomic(max(WallClock.now(), newest))
        committer = try GroupCommitter(environment: environment, maxBatch: maxBatch)
    }

    /// Opens the data folder at `path` with the default options, as the CLI does.
    public static func open(path: String) throws(StoreError) -> ColonyStore {
        try ColonyStore(path: path)
    }

    /// Commits the mutations queued, stops the writer thread and closes the environment.
    /// Later reads and mutations fail with `.closed`. Not from the writer thread.
    public func close() {
        committer.close()
        environment.close()
    }

    /// Queues a mutation on the raw transaction; compose `Records(transaction, store)` in
    /// it. See `GroupCommitter.submit` for when and where `completion` runs.
    public func submit<T: Sendable>(
        _ mutation: @escaping @Sendable (_ transaction: WriteTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        committer.submit(mutation, completion: completion)
    }

    /// Queues `body` with a `Records` over the mutation's transaction. `completion` gets its
    /// result once the batch holding it is durably committed, on the writer thread.
    ///
    /// `body` may run more than once (a batch is retried after the map grows, or after
    /// another mutation of it failed): it must touch nothing outside the `Records` it is
    /// given.
    public func mutate<T: Sendable>(
        _ body: @escaping @Sendable (inout Records) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        committer.submit({ [self] txn throws(StoreError) -> T in
            var records = Records(txn, self)
            return try body(&records)
        }, completion: completion)
    }

    /// Runs `body` as `mutate` does and blocks until it is durably committed. For tests and
    /// the CLI; never from the writer thread or inside a read.
    @discardableResult
    public func mutateAndWait<T: Sendable>(
        _ body: @escaping @Sendable (inout Records) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try committer.write { [self] txn throws(StoreError) -> T in
            var records = Records(txn, self)
            return try body(&records)
        }
    }

    /// Takes the `submittedAt` of a new process: `now`, or just after the last one handed
    /// out when that is later. Runs on the writer thread; a mutation that runs again (see
    /// `mutate`) takes a second, later time, which leaves a gap but keeps the order.
    func takeSubmissionTime(_ now: Int64) -> Int64 {
        var last = lastSubmittedAt.load(ordering: .relaxed)
        while true {
            let next = max(now, last == .max ? last : last + 1)
            let (exchanged, found) = lastSubmittedAt.compareExchange(
                expected: last, desired: next, ordering: .relaxed)
            if exchanged { return next }
            last = found
        }
    }

    /// The newest `submittedAt` in any colony's queue: one backward seek per colony.
    private static func newestSubmission(_ lookup: RecordLookup) throws(StoreError) -> Int64 {
        var colonies: [ID] = []
        try lookup.txn.scan(lookup.db.colonies, prefix: []) { key, _ throws(StoreError) in
            if let id = ID(bytes: key) { colonies.append(id) }
            return true
        }

        var newest = Int64.min
        for colony in colonies {
            if let t = try lookup.newestEntered(colony, .waiting) {
                newest = max(newest, t)
            }
        }
        return newest
    }
}
