import Glibc

/// The thread-local slot recording which gate, if any, the current thread holds shared.
private let heldGateKey: pthread_key_t = {
    var key = pthread_key_t()
    let code = pthread_key_create(&key, nil)
    precondition(code == 0, "pthread_key_create failed: \(code)")
    return key
}()

/// A read-write lock that keeps transactions and map resizing apart: mdb_env_set_mapsize
/// may only run while this process has no transaction open, which LMDB does not check.
///
/// Every transaction runs while holding the gate shared; a resize holds it exclusively. The
/// lock prefers the exclusive side, so a steady stream of readers cannot starve a resize,
/// which is also why a thread must never take the gate shared twice: the second attempt
/// would wait behind the queued resize, which waits for the first. That is checked.
final class TransactionGate: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())

        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        let kind = Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP)
        pthread_rwlockattr_setkind_np(&attributes, kind)
        let code = pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(code == 0, "pthread_rwlock_init failed: \(code)")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// True when the calling thread is inside `withShared` of this gate.
    var isHeldByCurrentThread: Bool {
        pthread_getspecific(heldGateKey) == identity
    }

    /// Runs `body` holding the gate shared: one transaction at a time per thread.
    func withShared<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        precondition(
            !isHeldByCurrentThread,
            "a transaction closure started another transaction on the same environment")
        let outer = pthread_getspecific(heldGateKey)
        pthread_rwlock_rdlock(lock)
        pthread_setspecific(heldGateKey, identity)
        defer {
            pthread_setspecific(heldGateKey, outer)
            pthread_rwlock_unlock(lock)
        }

        return try body()
    }

    /// Runs `body` once no transaction of this process is open.
    func withExclusive<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        precondition(!isHeldByCurrentThread, "resizing from inside a transaction")
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }

        return try body()
    }

    private var identity: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }
}
