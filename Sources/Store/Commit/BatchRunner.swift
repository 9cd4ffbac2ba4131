/// Runs one batch of mutations on the writer thread: one write transaction, one commit.
/// Grows the map and retries when it fills.
///
/// A batch first runs every mutation straight in the batch's transaction. An LMDB child
/// transaction per mutation would let a failing mutation undo only itself, but it copies
/// every page the mutation touches that the batch already changed: about eight 4 KB pages
/// per submit, two fifths of the writer's work. Failures are rare, so the batch pays for
/// isolation only when one happens: the transaction is aborted and the batch runs again
/// with a child transaction per mutation. Mutations may run more than once anyway (see
/// `GroupCommitter`). Known cost: once the store is at its data limit, every batch holding
/// an addition fails its first run and pays for both runs, just when the store is full.
struct BatchRunner {
    let environment: LMDBEnvironment

    private enum Attempt {
        case committed([StoreError?])
        case mapFull
        case failed(StoreError)
        /// A mutation failed in a batch run without child transactions; nothing committed.
        case needsIsolation
    }

    /// How the mutations of one attempt share the batch's transaction.
    private enum Isolation {
        /// Every mutation writes straight into the batch's transaction.
        case shared
        /// Each mutation runs in its own child transaction.
        case nested
    }

    /// What became of one mutation's child transaction. `mapFull` is LMDB finding the map
    /// full, which growth can cure, unlike going over the data limit.
    private enum NestedOutcome {
        case merged
        case failed(StoreError)
        case mapFull
    }

    /// Runs `jobs` until they are committed or have failed; returns each job's outcome, nil
    /// for those committed durably.
    func run(_ jobs: [any CommitJob]) -> [StoreError?] {
        var isolation = Isolation.shared
        while true {
            switch attempt(jobs, isolation: isolation, canGrow: environment.canGrow) {
            case .committed(let outcomes):
                return outcomes
            case .failed(let error):
                return Array(repeating: error, count: jobs.count)
            case .needsIsolation:
                isolation = .nested
            case .mapFull:
                // The batch was aborted, so this thread holds no transaction while resizing.
                do {
                    _ = try environment.growMap()
                } catch {
                    return Array(repeating: error, count: jobs.count)
                }
            }
        }
    }

    /// While the map can grow, a full map aborts the whole batch so it can be retried after
    /// growth. At the maximum, a mutation that finds the map full fails alone, so that
    /// others in the batch (deletions, say) still commit.
    private func attempt(
        _ jobs: [any CommitJob], isolation: Isolation, canGrow: Bool
    ) -> Attempt {
        // Measuring data costs a few mdb_stat calls per mutation; skip it while the map
        // is too small to hold more than the limit anyway.
        let limit = environment.options.dataLimit
        let enforceLimit = environment.mapSize > limit

        var sharedRunFailed = false
        do {
            return try environment.withWriteTransaction { parent throws(StoreError) in
                if isolation == .shared {
                    return try runShared(
                        jobs, in: parent, limit: enforceLimit ? limit : nil, canGrow: canGrow,
                        failed: &sharedRunFailed)
                }
                var outcomes: [StoreError?] = []
                outcomes.reserveCapacity(jobs.count)
                for job in jobs {
                    switch runNested(job, parent: parent, limit: enforceLimit ? limit : nil) {
                    case .merged: outcomes.append(nil)
                    case .failed(let error): outcomes.append(error)
                    case .mapFull where canGrow: throw .storeFull
                    case .mapFull: outcomes.append(.storeFull)
                    }
                }
                return .committed(outcomes)
            }
        } catch .storeFull where canGrow {
            return .mapFull
        } catch where sharedRunFailed {
            return .needsIsolation
        } catch {
            return .failed(error)
        }
    }

    /// Runs every mutation in `parent` itself. The first failure throws, so that the whole
    /// transaction is aborted: `.storeFull` when LMDB found the map full and it can grow,
    /// otherwise `.transactionFailed` with `failed` set, so that the batch runs again with a
    /// child transaction per mutation and the failure hits only its own mutation.
    private func runShared(
        _ jobs: [any CommitJob], in parent: OpaquePointer, limit: Int?, canGrow: Bool,
        failed: inout Bool
    ) throws(StoreError) -> Attempt {
        for job in jobs {
            let transaction = WriteTransaction(parent, maxKeySize: environment.maxKeySize)
            let failure = apply(job, transaction, limit: limit)
            transaction.end()

            guard let failure else { continue }
            if canGrow && failure == .storeFull && transaction.failure == .storeFull {
                throw .storeFull
            }
            failed = true
            throw .transactionFailed
        }
        return .committed(Array(repeating: nil, count: jobs.count))
    }

    /// Runs one mutation in a child of `parent` and merges it unless it failed. With a
    /// `limit`, a mutation that leaves more data than the limit, and more than it found,
    /// fails with `.storeFull`: one that removes data passes even in a full store.
    private func runNested(
        _ job: any CommitJob, parent: OpaquePointer, limit: Int?
    ) -> NestedOutcome {
        let child: OpaquePointer
        do {
            child = try LMDB.begin(environment.handle, parent: parent, readOnly: false)
        } catch {
            return .failed(error)
        }

        let transaction = WriteTransaction(child, maxKeySize: environment.maxKeySize)
        let failure = apply(job, transaction, limit: limit)
        transaction.end()

        if let failure {
            LMDB.abort(child)
            return failure == .storeFull && transaction.failure == .storeFull
                ? .mapFull : .failed(failure)
        }
        do {
            try LMDB.commit(child, path: environment.path)
        } catch {
            return error == .storeFull ? .mapFull : .failed(error)
        }
        return .merged
    }

    /// Runs the mutation and checks the data limit; returns why the child must be aborted.
    private func apply(
        _ job: any CommitJob, _ transaction: WriteTransaction, limit: Int?
    ) -> StoreError? {
        do throws(StoreError) {
            let before = try limit.map { _ throws(StoreError) in
                try environment.dataSize(transaction.handle)
            }
            try job.apply(transaction)
            if let failure = transaction.failure {
                return failure
            }
            if let limit, let before {
                let after = try environment.dataSize(transaction.handle)
                if after > limit && after > before {
                    return .storeFull
                }
            }
            return nil
        } catch {
            // An LMDB failure comes first: the mutation may have swallowed it and thrown
            // another.
            return transaction.failure ?? error
        }
    }
}
