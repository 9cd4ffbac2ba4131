/// The single writer of an environment. Mutations submitted from any thread are queued;
/// one writer thread takes everything queued (up to `maxBatch`), runs the mutations in one
/// transaction, commits once, and only then reports every outcome. One fsync thus covers a
/// whole batch, and a failing mutation undoes only itself (`BatchRunner` runs the batch
/// again with a child transaction per mutation).
///
/// When the memory map fills, the batch is aborted, the map doubles (up to
/// `EnvironmentOptions.maximumMapSize`), and the batch runs again; a batch in which one
/// mutation fails also runs again, each mutation isolated. A mutation must therefore have no
/// effect outside its transaction, since it may run more than once. A mutation that would
/// take the data past `EnvironmentOptions.dataLimit`, or finds the map full at its maximum,
/// fails alone with `.storeFull`; reads and deletions keep working.
///
/// Call `close()` to finish queued work; dropping the last reference does the same.
public final class GroupCommitter: Sendable {
    public let environment: LMDBEnvironment

    /// The most mutations committed together.
    public let maxBatch: Int

    /// How long the writer may wait for more mutations after a busy batch (one of
    /// `busyBatch` or more), before it takes the next. A commit costs two syncs and a
    /// rewrite of every page it touches whatever it holds, so under load fewer, fuller
    /// commits save CPU and disk: `colonies bench` saw half the bytes written per durable
    /// submit with 128 in flight. It waits in steps of `gatherStepNanoseconds` and stops
    /// at the first step in which nothing arrived. After a small batch the writer never
    /// waits, nor for a lone queued mutation, so a lone request (a runtime woken by a
    /// submit) is not delayed.
    public let gatherNanoseconds: UInt64

    /// The step of that wait; see `gatherNanoseconds`.
    public let gatherStepNanoseconds: UInt64

    /// The batch size from which the next batch gathers.
    public let busyBatch: Int

    private let queue: CommitQueue
    private let thread: WriterThread
    private let stats: BatchStats
    private let joiner = JoinOnce()

    /// Starts the writer thread.
    /// - Throws: `.system` when the thread cannot start.
    public init(
        environment: LMDBEnvironment, maxBatch: Int = 1024,
        gatherNanoseconds: UInt64 = 500_000, gatherStepNanoseconds: UInt64 = 100_000,
        busyBatch: Int = 8
    ) throws(StoreError) {
        precondition(maxBatch > 0, "maxBatch must be positive")
        self.environment = environment
        self.maxBatch = maxBatch
        self.gatherNanoseconds = gatherNanoseconds
        self.gatherStepNanoseconds = gatherStepNanoseconds
        self.busyBatch = busyBatch

        let queue = CommitQueue(batchLimit: maxBatch), stats = BatchStats()
        self.queue = queue
        self.stats = stats
        let runner = BatchRunner(environment: environment)
        thread = try WriterThread {
            var lastBatch = 0
            while let batch = queue.takeBatch(
                gathering: lastBatch >= busyBatch ? gatherNanoseconds : 0,
                step: gatherStepNanoseconds)
            {
                lastBatch = batch.count
                let outcomes = runner.run(batch)
                stats.record(batchSize: batch.count)
                for (job, outcome) in zip(batch, outcomes) {
                    job.finish(outcome)
                }
            }
        }
    }

    deinit {
        queue.close()
        // A completion may drop the last reference on the writer thread itself.
        if thread.isCurrent {
            joiner.detach(thread)
        } else {
            joiner.join(thread)
        }
    }

    /// Queues `mutation`; `completion` receives its result only after the batch holding it
    /// is committed (and flushed to disk, unless `Durability.unsafeNoSync`), or its failure.
    ///
    /// Both run on the writer thread: keep them short and never block in them. `mutation`
    /// may run more than once and must touch nothing outside `transaction`. `completion`
    /// runs exactly once; after `close()` it runs at once, on the calling thread, with
    /// `.closed`.
    public func submit<Value: Sendable>(
        _ mutation: @escaping @Sendable (_ transaction: WriteTransaction) throws(StoreError)
            -> Value,
        completion: @escaping @Sendable (Result<Value, StoreError>) -> Void
    ) {
        if !queue.enqueue(Mutation(mutation, completion: completion)) {
            completion(.failure(.closed))
        }
    }

    /// Runs `mutation` in the next batch and blocks until it is durably committed.
    ///
    /// Must not be called on the writer thread (from a mutation or completion) or inside
    /// `LMDBEnvironment.read { }`: either would wait on itself. Both are preconditions.
    @discardableResult
    public func write<Value: Sendable>(
        _ mutation: @escaping @Sendable (_ transaction: WriteTransaction) throws(StoreError)
            -> Value
    ) throws(StoreError) -> Value {
        precondition(!thread.isCurrent, "blocking write from the writer thread")
        precondition(
            !environment.gate.isHeldByCurrentThread, "blocking write inside a read transaction")

        let slot = ResultSlot<Value>()
        submit(mutation) { slot.fill($0) }
        return try slot.wait().get()
    }

    /// Refuses new mutations, commits those queued, and waits for the writer thread to
    /// finish its completions. Safe to call more than once; not from the writer thread.
    public func close() {
        precondition(!thread.isCurrent, "close from the writer thread")
        queue.close()
        joiner.join(thread)
    }

    /// How many batches have committed or failed, and how many mutations they held.
    var batchCounts: (batches: Int, mutations: Int) {
        stats.counts
    }
}

/// Counts of finished batches, for tests.
private final class BatchStats: @unchecked Sendable {
    private let monitor = Monitor()
    private var batches = 0
    private var mutations = 0

    func record(batchSize: Int) {
        monitor.withLock {
            batches += 1
            mutations += batchSize
        }
    }

    var counts: (batches: Int, mutations: Int) {
        monitor.withLock { (batches, mutations) }
    }
}

/// Joins or detaches the writer thread exactly once. Holding the lock while joining makes
/// a second `close()` wait too; the writer thread never takes this lock.
private final class JoinOnce: @unchecked Sendable {
    private let monitor = Monitor()
    private var done = false

    func join(_ thread: WriterThread) {
        monitor.withLock {
            if !done {
                done = true
                thread.join()
            }
        }
    }

    func detach(_ thread: WriterThread) {
        monitor.withLock {
            if !done {
                done = true
                thread.detach()
            }
        }
    }
}
