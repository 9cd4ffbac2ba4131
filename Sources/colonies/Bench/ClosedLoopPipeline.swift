import Wire

/// Keeps `depth` signed requests in flight on each connection: every answer sends the next
/// frame of that connection's stream. Drives the reads and submits scenarios.
final class ClosedLoopPipeline: LoadPipeline {
    let connections: [LoadConnection]
    private(set) var tally = Tally()
    private(set) var inFlight = 0

    /// A timed pipeline is done when any stream is spent; a counted one when every stream is
    /// spent and answered.
    var exhausted: Bool {
        untilSpent ? spentStreams == streams.count && inFlight == 0 : spentStreams > 0
    }

    private var streams: [SignedStream]
    /// When each frame of each stream went out, by frame index.
    private var sentAt: [[UInt64]]
    private let depth: Int
    private let untilSpent: Bool
    private var stopped = false
    private var spentStreams = 0
    private var spent: [Bool]

    /// With `untilSpent`, sends every frame and ends when all are answered (a fixed amount
    /// of work); otherwise the round ends when the first stream runs out.
    init(
        connections: [LoadConnection], streams: [SignedStream], depth: Int,
        untilSpent: Bool = false
    ) {
        precondition(connections.count == streams.count, "one stream per connection")
        self.connections = connections
        self.streams = streams
        self.sentAt = streams.map { Array(repeating: 0, count: $0.count) }
        self.depth = depth
        self.untilSpent = untilSpent
        spent = Array(repeating: false, count: streams.count)
    }

    func start(now: UInt64) throws(BenchError) {
        for index in connections.indices {
            for _ in 0..<depth { sendNext(on: index, now: now) }
        }
    }

    func received(_ frame: Frame, on index: Int, now: UInt64) throws(BenchError) {
        guard let sent = streams[index].index(of: frame.requestId) else { return }
        inFlight -= 1
        guard !stopped else { return }

        if frame.typeByte == MessageType.error.rawValue {
            tally.error(frame)
        } else {
            tally.complete(nanoseconds: now - sentAt[index][sent])
        }
        sendNext(on: index, now: now)
    }

    func stop() {
        stopped = true
    }

    private func sendNext(on index: Int, now: UInt64) {
        let position = streams[index].nextIndex
        guard let frame = streams[index].next() else {
            if !spent[index] {
                spent[index] = true
                spentStreams += 1
            }
            return
        }
        sentAt[index][position] = now
        connections[index].enqueue(frame)
        inFlight += 1
    }
}
