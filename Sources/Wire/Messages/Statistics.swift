/// How many of a colony's processes are in one state, and since when the oldest has been.
///
/// Layout: `count` (u64), `oldestAt` (i64: when the longest-standing process entered this
/// state, ns since the epoch; 0 when `count` is 0).
public struct StateCount: WireCodable, Hashable {
    public var count: UInt64
    public var oldestAt: Int64

    public init(count: UInt64, oldestAt: Int64) {
        self.count = count
        self.oldestAt = oldestAt
    }

    public func encode(to w: inout WireWriter) {
        w.u64(count)
        w.i64(oldestAt)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> StateCount {
        StateCount(count: try r.u64("statistics.count"), oldestAt: try r.i64("statistics.time"))
    }
}

/// A colony's statistics.
///
/// Layout: `colonyId` (32 bytes), `runtimes` (u64: registered), `approvedRuntimes` (u64),
/// then a `StateCount` for waiting, running, successful and failed, in that order.
public struct Statistics: WireCodable, Hashable {
    public var colonyId: ID
    public var runtimes: UInt64
    public var approvedRuntimes: UInt64
    public var waiting: StateCount
    public var running: StateCount
    public var successful: StateCount
    public var failed: StateCount

    public init(
        colonyId: ID, runtimes: UInt64, approvedRuntimes: UInt64, waiting: StateCount,
        running: StateCount, successful: StateCount, failed: StateCount
    ) {
        self.colonyId = colonyId
        self.runtimes = runtimes
        self.approvedRuntimes = approvedRuntimes
        self.waiting = waiting
        self.running = running
        self.successful = successful
        self.failed = failed
    }

    public func encode(to w: inout WireWriter) {
        w.id(colonyId)
        w.u64(runtimes)
        w.u64(approvedRuntimes)
        for s in [waiting, running, successful, failed] { s.encode(to: &w) }
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Statistics {
        Statistics(
            colonyId: try r.id("statistics.colonyid"), runtimes: try r.u64("statistics.runtimes"),
            approvedRuntimes: try r.u64("statistics.approved"),
            waiting: try StateCount.decode(from: &r), running: try StateCount.decode(from: &r),
            successful: try StateCount.decode(from: &r), failed: try StateCount.decode(from: &r))
    }
}
