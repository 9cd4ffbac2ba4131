import Synchronization

/// One reactor thread: it owns an epoll instance and every connection accepted on it, and
/// runs closures and timers handed to it from any thread.
///
/// Everything a loop owns (its connections and their state) is touched only on its
/// thread; `execute` is how other threads reach it. Debug builds check this at every
/// entry point.
public final class EventLoop: @unchecked Sendable {
    /// The loop's position in the reactor, from 0.
    public let index: Int

    /// Makes the epoll wait return when another thread queues work.
    let wakeCounter: EventCounter

    private let queue = Locked(TaskQueue())
    private let wakePending = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)

    // Touched only on the loop thread.
    private var timers = TimerHeap()

    private struct TaskQueue {
        var tasks: [@Sendable () -> Void] = []
        var closed = false
    }

    init(index: Int) throws(ReactorError) {
        self.index = index
        wakeCounter = try EventCounter()
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == LoopThread.currentID
    }

    /// Traps in debug builds when called off the loop thread; free in release builds.
    public func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "called off event loop \(index)", file: file, line: line)
    }

    /// Runs `task` on the loop thread, soon, after the work already queued. Safe from any
    /// thread. Returns false, without running `task`, when the loop has stopped: a caller
    /// delivering a reply can then undo whatever the reply announced.
    @discardableResult
    public func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.closed else {
                return false
            }
            queue.tasks.append(task)
            return true
        }
        guard accepted else {
            return false
        }

        // The loop checks its queue before sleeping, so it needs no wake-up from itself,
        // and one pending wake-up covers every task queued before the loop drains.
        if !inEventLoop && !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            wakeCounter.signal()
        }
        return true
    }

    /// Runs `task` on the loop thread once `delay` nanoseconds of monotonic time have
    /// passed. Safe from any thread. Timers pending when the loop stops never run; if it
    /// has already stopped, the handle comes back cancelled.
    @discardableResult
    public func schedule(
        after delay: UInt64, _ task: @escaping @Sendable () -> Void
    ) -> TimerHandle {
        let handle = TimerHandle()
        let (sum, overflow) = MonotonicClock.now().addingReportingOverflow(delay)
        let deadline = overflow ? UInt64.max : sum
        if inEventLoop {
            timers.insert(deadline: deadline, handle: handle, task: task)
        } else if !execute({ self.timers.insert(deadline: deadline, handle: handle, task: task) }) {
            handle.cancel()
        }
        return handle
    }

    // MARK: Loop-thread side, used by the driver.

    /// Claims the loop for the calling thread.
    func bindToCurrentThread() {
        threadID.store(LoopThread.currentID, ordering: .relaxed)
    }

    /// Called when the wake-up descriptor is readable.
    func acknowledgeWakeUp() {
        wakeCounter.reset()
        // Cleared before the queue is drained, so a task queued after the drain signals.
        wakePending.store(false, ordering: .releasing)
    }

    var hasPendingTasks: Bool {
        queue.withLock { !$0.tasks.isEmpty }
    }

    /// Runs the tasks queued so far; ones they queue wait for the next turn.
    func runPendingTasks() {
        let tasks = queue.withLock { queue in
            let tasks = queue.tasks
            queue.tasks = []
            return tasks
        }
        for task in tasks {
            task()
        }
    }

    func runDueTimers(now: UInt64) {
        while let entry = timers.popDue(now: now) {
            entry.task()
        }
    }

    /// How long epoll may sleep before the next timer is due: -1 for no timer.
    func waitTimeout(now: UInt64) -> Int32 {
        guard let deadline = timers.nextDeadline else {
            return -1
        }
        guard deadline > now else {
            return 0
        }
        let milliseconds = (deadline - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }

    /// Refuses further tasks, runs those already queued (they find their connections
    /// closed) and drops the timers.
    func close() {
        while true {
            let tasks = queue.withLock { queue in
                queue.closed = true
                let tasks = queue.tasks
                queue.tasks = []
                return tasks
            }
            if tasks.isEmpty {
                break
            }
            for task in tasks {
                task()
            }
        }
        for entry in timers.removeAll() {
            entry.handle.cancel()
        }
    }
}
