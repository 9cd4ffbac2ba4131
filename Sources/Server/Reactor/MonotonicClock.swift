import Glibc

/// Nanoseconds from CLOCK_MONOTONIC: never jumps with wall-clock changes, so timers and
/// timeouts measured with it survive clock adjustments.
public enum MonotonicClock {
    /// The current reading in nanoseconds since an unspecified start.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// The number of processors online, at least 1.
func onlineProcessorCount() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
