/// The mutations waiting for the writer thread. Any thread enqueues; the writer takes them
/// in batches, in submission order.
final class CommitQueue: @unchecked Sendable {
    private let monitor = Monitor()
    private var jobs: [any CommitJob] = []
    private var isClosing = false

    /// Adds a job; returns false, keeping nothing, once the queue is closing.
    func enqueue(_ job: any CommitJob) -> Bool {
        monitor.withLock {
            guard !isClosing else { return false }

            jobs.append(job)
            if jobs.count == 1 {
                monitor.broadcast()
            }
            return true
        }
    }

    /// Waits for work and takes up to `limit` jobs; nil once closing and drained.
    func takeBatch(limit: Int) -> [any CommitJob]? {
        monitor.withLock {
            monitor.wait { !jobs.isEmpty || isClosing }
            if jobs.isEmpty { return nil }

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
