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

    /// Waits for work and takes up to `batchLimit` jobs; nil once closing and drained.
    ///
    /// With a `gathering` time and more than one job queued, it then waits for the batch to
    /// fill, up to that long, in steps of `step`, and stops at the first step in which
    /// nothing arrived: a client that has all its requests queued already gains nothing from
    /// the wait. A lone job never waits.
    func takeBatch(gathering nanoseconds: UInt64 = 0, step: UInt64 = 0) -> [any CommitJob]? {
        monitor.withLock {
            monitor.wait { !jobs.isEmpty || isClosing }
            if jobs.isEmpty { return nil }

            if nanoseconds > 0 && jobs.count > 1 {
                gather(for: nanoseconds, step: step)
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

    /// Waits, holding the lock between steps, as `takeBatch` describes. The end is one
    /// deadline on the monotonic clock, so that late wake-ups do not stretch the wait.
    private func gather(for nanoseconds: UInt64, step: UInt64) {
        // At most a day each, so that no sum below can overflow.
        let day: UInt64 = 86_400_000_000_000
        var now = Monitor.now()
        let end = now + min(nanoseconds, day)
        while now < end && jobs.count < batchLimit && !isClosing {
            let before = jobs.count
            let stepEnd = min(now + min(max(step, 1), day), end)
            monitor.wait(untilNanoseconds: stepEnd) { jobs.count >= batchLimit || isClosing }
            now = Monitor.now()
            if jobs.count == before { break }
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
