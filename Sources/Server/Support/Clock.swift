import Glibc

/// The two clocks the server reads. Wall time is what processes record (it is shown to
/// people and kept across restarts); monotonic time drives timers, which must not jump.
enum Clock {
    /// Nanoseconds since the Unix epoch.
    static func wallNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Nanoseconds on a clock that only moves forward.
    static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
