import Synchronization

/// A timer scheduled on an event loop. Cancelling is safe from any thread; a timer
/// cancelled before its deadline never runs.
public final class TimerHandle: Sendable {
    private let cancelled = Atomic<Bool>(false)

    init() {}

    /// Stops the timer if it has not run yet. Cancelling twice, or after it ran, is harmless.
    public func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// Whether `cancel()` was called (or the loop had stopped when the timer was scheduled).
    public var isCancelled: Bool {
        cancelled.load(ordering: .relaxed)
    }
}

/// The pending timers of one loop, earliest first: a binary min-heap ordered by deadline,
/// then by scheduling order so timers with equal deadlines run in the order given.
///
/// Cancelled timers are skipped when they reach the top; when they pile up (many long
/// timers cancelled early) the heap is rebuilt without them.
struct TimerHeap {
    struct Entry {
        let deadline: UInt64
        let sequence: UInt64
        let handle: TimerHandle
        let task: @Sendable () -> Void

        func precedes(_ other: Entry) -> Bool {
            (deadline, sequence) < (other.deadline, other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0
    private var sizeAfterLastPurge = 512

    var count: Int {
        entries.count
    }

    /// The earliest deadline, cancelled timers included (waking early is harmless).
    var nextDeadline: UInt64? {
        entries.first?.deadline
    }

    mutating func insert(
        deadline: UInt64, handle: TimerHandle, task: @escaping @Sendable () -> Void
    ) {
        entries.append(Entry(deadline: deadline, sequence: nextSequence, handle: handle,
                             task: task))
        nextSequence += 1
        siftUp(from: entries.count - 1)
        purgeIfCrowded()
    }

    /// Removes and returns the earliest live timer due at `now`, if any.
    mutating func popDue(now: UInt64) -> Entry? {
        while let first = entries.first, first.deadline <= now {
            removeFirst()
            if !first.handle.isCancelled {
                return first
            }
        }
        return nil
    }

    /// Removes every timer, returning them so the caller can mark them cancelled.
    mutating func removeAll() -> [Entry] {
        defer { entries = [] }
        return entries
    }

    private mutating func removeFirst() {
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(from: 0)
        }
    }

    private mutating func purgeIfCrowded() {
        guard entries.count >= 1024, entries.count >= 2 * sizeAfterLastPurge else {
            return
        }
        entries.removeAll { $0.handle.isCancelled }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index)
        }
        sizeAfterLastPurge = max(entries.count, 512)
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else {
                return
            }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].precedes(entries[smallest]) {
                smallest = left
            }
            if right < entries.count && entries[right].precedes(entries[smallest]) {
                smallest = right
            }
            if smallest == parent {
                return
            }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
