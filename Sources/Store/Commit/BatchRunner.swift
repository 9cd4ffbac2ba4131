/// Runs one batch of mutations on the writer thread: one write transaction, each mutation
/// in its own child transaction, one commit. Grows the map and retries when it fills.
struct BatchRunner {
    let environment: LMDBEnvironment

    private enum Attempt {
        case committed([StoreError?])
        case mapFull
        case failed(StoreError)
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
        while true {
            switch attempt(jobs, canGrow: environment.canGrow) {
            case .committed(let outcomes):
                return outcomes
            case .failed(let error):
                return Array(repeating: error, count: jobs.count)
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
    private func attempt(_ jobs: [any CommitJob], canGrow: Bool) -> Attempt {
        // Measuring data costs a few mdb_stat calls per mutation; skip it while the map
        // is too small to hold more than the limit anyway.
        let limit = environment.options.dataLimit
        let enforceLimit = environment.mapSize > limit

        do {
            return try environment.withWriteTransaction { parent throws(StoreError) in
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
        } catch {
            return .failed(error)
        }
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
