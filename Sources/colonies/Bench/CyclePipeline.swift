import Wire

/// One runtime's share of the cycles scenario: three connections, so that each carries one
/// kind of request in the order it was signed.
///
/// Submits and assigns are signed ahead; a close names the process and attempt the assign
/// returned, so it is signed when the assignment arrives, on a connection of its own (a
/// frame signed late on the assign connection would break that connection's sequence).
struct CycleLane {
    let runtimeKey: PrivateKey
    let submitter: LoadConnection
    let assigner: LoadConnection
    let closer: LoadConnection
    var submits: SignedStream
    var assigns: SignedStream
}

/// Runs `depth` cycles at once per lane: submit, then assign (any waiting process of the
/// colony), then close what was assigned. A cycle's latency runs from its submit going out
/// to its close being acknowledged.
final class CyclePipeline: LoadPipeline {
    let connections: [LoadConnection]
    private(set) var tally = Tally()
    private(set) var inFlight = 0
    private(set) var exhausted = false
    /// Closes signed while the clock ran: a cost the generator pays in measured time.
    private(set) var closesSigned = 0

    private var lanes: [CycleLane]
    private let depth: Int
    private var stopped = false
    private var encoder = FrameEncoder()
    /// For each lane and role (0 submit, 1 assign, 2 close): request id to slot.
    private var waiting: [[UInt32: Int]]
    /// When each slot's current cycle began, by lane.
    private var cycleStart: [[UInt64]]

    init(lanes: [CycleLane], depth: Int) {
        self.lanes = lanes
        self.depth = depth
        connections = lanes.flatMap { [$0.submitter, $0.assigner, $0.closer] }
        waiting = Array(repeating: [:], count: lanes.count * 3)
        cycleStart = Array(repeating: Array(repeating: 0, count: depth), count: lanes.count)
    }

    func start(now: UInt64) throws(BenchError) {
        for lane in lanes.indices {
            for slot in 0..<depth { submit(lane: lane, slot: slot, now: now) }
        }
    }

    func stop() {
        stopped = true
    }

    func received(_ frame: Frame, on index: Int, now: UInt64) throws(BenchError) {
        let lane = index / 3
        let role = index % 3
        guard let slot = waiting[index].removeValue(forKey: frame.requestId) else { return }
        inFlight -= 1
        guard !stopped else { return }

        // A refused step starts its cycle over; the count of errors shows it happened.
        if frame.typeByte == MessageType.error.rawValue {
            tally.error(frame)
            submit(lane: lane, slot: slot, now: now)
            return
        }
        switch role {
        case 0:
            assign(lane: lane, slot: slot)
        case 1:
            try assigned(frame, lane: lane, slot: slot)
        default:
            tally.complete(nanoseconds: now - cycleStart[lane][slot])
            submit(lane: lane, slot: slot, now: now)
        }
    }

    private func submit(lane: Int, slot: Int, now: UInt64) {
        let requestId = lanes[lane].submits.nextRequestId
        guard let frame = lanes[lane].submits.next() else {
            exhausted = true
            return
        }
        cycleStart[lane][slot] = now
        send(frame, requestId: requestId, slot: slot, connection: lane * 3)
    }

    private func assign(lane: Int, slot: Int) {
        let requestId = lanes[lane].assigns.nextRequestId
        guard let frame = lanes[lane].assigns.next() else {
            exhausted = true
            return
        }
        send(frame, requestId: requestId, slot: slot, connection: lane * 3 + 1)
    }

    private func assigned(_ frame: Frame, lane: Int, slot: Int) throws(BenchError) {
        let reply: Reply
        do { reply = try Reply.decode(for: .assignProcess, body: frame.body) } catch {
            throw .protocolError("a malformed assignment: \(error)")
        }
        guard case .assignment(let process?) = reply else {
            // Nothing was waiting (another lane took it): ask again.
            assign(lane: lane, slot: slot)
            return
        }

        let closer = lanes[lane].closer
        let ids = closer.reserve(1)
        let bytes = encoder.request(
            .closeSuccessful(processId: process.id, attempt: process.attempt),
            requestId: ids.requestId, key: lanes[lane].runtimeKey,
            challenge: closer.hello.challenge, sequence: ids.sequence)
        closesSigned += 1
        send(bytes[...], requestId: ids.requestId, slot: slot, connection: lane * 3 + 2)
    }

    private func send(
        _ frame: ArraySlice<UInt8>, requestId: UInt32, slot: Int, connection: Int
    ) {
        waiting[connection][requestId] = slot
        connections[connection].enqueue(frame)
        inFlight += 1
    }
}
