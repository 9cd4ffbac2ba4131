import Glibc

/// The real-time clock, in nanoseconds since the epoch: the store's only look at the time,
/// used to seed the submission counter at open. Mutations take `now` from their caller.
enum WallClock {
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }
}
