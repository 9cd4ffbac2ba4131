import Glibc

/// A pthread mutex with one condition variable: the committer's queue and the slot a
/// blocking `write` waits on. The only pthread mutex code of the store.
final class Monitor: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())

        // Timed waits count on the monotonic clock, which setting the date does not move.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        defer { pthread_condattr_destroy(&attributes) }
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        let codes = (pthread_mutex_init(mutex, nil), pthread_cond_init(condition, &attributes))
        precondition(codes == (0, 0), "pthread mutex or condition init failed: \(codes)")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }

        return try body()
    }

    /// Sleeps until `ready` holds, releasing the lock meanwhile. Call while holding the lock.
    func wait(until ready: () -> Bool) {
        while !ready() {
            pthread_cond_wait(condition, mutex)
        }
    }

    /// Sleeps until `ready` holds or the monotonic clock reaches `deadline` (nanoseconds,
    /// as `Monitor.now()` counts them), releasing the lock meanwhile. Call while holding it.
    func wait(untilNanoseconds deadline: UInt64, until ready: () -> Bool) {
        var end = timespec()
        end.tv_sec = Int(deadline / 1_000_000_000)
        end.tv_nsec = Int(deadline % 1_000_000_000)

        while !ready() {
            if pthread_cond_timedwait(condition, mutex, &end) == ETIMEDOUT {
                return
            }
        }
    }

    /// The monotonic clock in nanoseconds, the clock of timed waits.
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Wakes every waiter. Call while holding the lock.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}

/// A joinable pthread running one closure: the group committer's writer.
final class WriterThread: @unchecked Sendable {
    private let id: pthread_t

    /// Starts `body` on a new thread.
    /// - Throws: `.system` with pthread_create's error code.
    init(_ body: @escaping @Sendable () -> Void) throws(StoreError) {
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var id = pthread_t()
        let code = pthread_create(&id, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, context)

        guard code == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw .system(errno: code, call: "pthread_create")
        }
        self.id = id
    }

    /// True when called from this thread.
    var isCurrent: Bool {
        pthread_equal(pthread_self(), id) != 0
    }

    /// Waits for the thread to finish. Call at most once, from another thread.
    func join() {
        precondition(!isCurrent, "a thread cannot join itself")
        pthread_join(id, nil)
    }

    /// Lets the thread finish on its own; for when joining is impossible.
    func detach() {
        pthread_detach(id)
    }

    private final class Box {
        let body: @Sendable () -> Void

        init(_ body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }
}
