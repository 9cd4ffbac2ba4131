#if canImport(Glibc)
    import Glibc
#endif

/// A value behind a pthread mutex, with the shape of the standard library's `Mutex`.
///
/// Why not `Synchronization.Mutex`: on Linux it locks inside the standard library, which is
/// not built with ThreadSanitizer, so TSan cannot see the lock and reports every access it
/// guards as a race. glibc's mutex is intercepted by TSan, so a run under `--sanitize=thread`
/// reports only real races; its uncontended path is one atomic instruction as well.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let code = pthread_mutex_init(mutex, nil)
        precondition(code == 0, "pthread_mutex_init failed: \(code)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock; never call it again from `body`.
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }

        return try body(&value)
    }
}
