import Glibc

/// The descriptor limit of the test process.
enum DescriptorLimit {
    /// Raises the soft limit on open descriptors to at least `needed` if the hard limit
    /// allows; returns whether the process may now hold that many.
    static func raise(to needed: Int) -> Bool {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return false }
        if limit.rlim_cur >= rlim_t(needed) { return true }
        // RLIM_INFINITY is the largest value, so it passes this test too.
        guard limit.rlim_max >= rlim_t(needed) else {
            return false
        }
        limit.rlim_cur = rlim_t(needed)
        return setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0
    }
}
