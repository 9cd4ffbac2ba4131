/// The mutations waiting for the writer thread. Any thread enqueues; the writer takes them
/// in batches, in submission order.
final class CommitQueue: @unchecked Sendable {
    private let monitor = Monitor()
    private var jobs: [any CommitJob] = []
    private var isClosing = false
    /// The largest batch the writer takes; reaching it ends a gathering wait early.
    private let batchLimit: Int

    init(batchLimit: Int) {
        self.batchLimit = batchLimit
    }

    /// Adds a job; returns false, keeping nothing, once the queue is closing.
    func enqueue(_ job: any CommitJob) -> Bool {
        monitor.withLock {
            guard !isClosing else { return false }

            jobs.append(job)
            if jobs.count == 1 || jobs.count == batchLimit {
                monitor.broadcast()
            }
            return true
        }
    }

    /// Waits for work and takes up to `batchLimit` jobs; nil once closing and drained. With
    /// `gathering`, it then waits up to that many nanoseconds more for the batch to fill.
    func takeBatch(gathering nanoseconds: UInt64 = 0) -> [any CommitJob]? {
        monitor.withLock {
            monitor.wait { !jobs.isEmpty || isClosing }
            if jobs.isEmpty { return nil }
            if nanoseconds > 0 {
                monitor.wait(atMost: nanoseconds) { jobs.count >= batchLimit || isClosing }
            }
            let limit = batchLimit

            // Swapping out the whole array avoids shifting it in the common case.
            guard jobs.count > limit else {
                defer { jobs = [] }
                return jobs
            }
            let batch = Array(jobs.prefix(limit))
            jobs.removeFirst(limit)
            return batch
        }
    }

    /// Refuses new jobs; the writer still drains the ones queued.
    func close() {
        monitor.withLock {
            isClosing = true
            monitor.broadcast()
        }
    }
}
