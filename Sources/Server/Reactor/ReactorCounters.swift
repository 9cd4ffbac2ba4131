import Synchronization

/// A snapshot of a reactor's activity, summed over its loops.
public struct ReactorCounters: Sendable, Equatable {
    /// Connections currently open.
    public var connectionsOpen = 0
    /// Connections accepted since start, rejected ones excluded.
    public var connectionsAccepted = 0
    /// Connections turned away because `maxConnections` were open.
    public var connectionsRejected = 0
    /// Connections closed because a frame stalled or the peer stopped taking bytes.
    public var connectionsTimedOut = 0
    public var bytesReceived = 0
    public var bytesSent = 0
    public var framesReceived = 0
    /// How often a connection's unsent bytes passed the high watermark, pausing its reads.
    public var readPauses = 0
    /// Bytes queued on all connections and not yet written.
    public var unsentBytes = 0
    /// The most unsent bytes any one connection has held.
    public var peakUnsentBytes = 0

    public init() {}
}

/// One loop's counters. Only the loop thread writes them; any thread may read.
final class LoopCounters: Sendable {
    let connectionsOpen = Atomic<Int>(0)
    let connectionsAccepted = Atomic<Int>(0)
    let connectionsRejected = Atomic<Int>(0)
    let connectionsTimedOut = Atomic<Int>(0)
    let bytesReceived = Atomic<Int>(0)
    let bytesSent = Atomic<Int>(0)
    let framesReceived = Atomic<Int>(0)
    let readPauses = Atomic<Int>(0)
    let unsentBytes = Atomic<Int>(0)
    let peakUnsentBytes = Atomic<Int>(0)

    /// Raises the peak to `unsent` if that is higher.
    func notePeak(_ unsent: Int) {
        if unsent > peakUnsentBytes.load(ordering: .relaxed) {
            peakUnsentBytes.store(unsent, ordering: .relaxed)
        }
    }

    /// Adds this loop's values to `total`.
    func accumulate(into total: inout ReactorCounters) {
        total.connectionsOpen += connectionsOpen.load(ordering: .relaxed)
        total.connectionsAccepted += connectionsAccepted.load(ordering: .relaxed)
        total.connectionsRejected += connectionsRejected.load(ordering: .relaxed)
        total.connectionsTimedOut += connectionsTimedOut.load(ordering: .relaxed)
        total.bytesReceived += bytesReceived.load(ordering: .relaxed)
        total.bytesSent += bytesSent.load(ordering: .relaxed)
        total.framesReceived += framesReceived.load(ordering: .relaxed)
        total.readPauses += readPauses.load(ordering: .relaxed)
        total.unsentBytes += unsentBytes.load(ordering: .relaxed)
        total.peakUnsentBytes = max(total.peakUnsentBytes,
                                    peakUnsentBytes.load(ordering: .relaxed))
    }
}

/// The open-connection count shared by all loops, enforcing `maxConnections`.
final class ConnectionGate: Sendable {
    private let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a place if one is free.
    func tryEnter() -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        if count > limit {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
