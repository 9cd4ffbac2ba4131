/// Where a process is in its life. Waiting and running may repeat (a process taken back
/// after its timeout waits again); successful and failed are final.
public enum ProcessState: UInt8, Sendable, CaseIterable {
    case waiting = 0
    case running = 1
    case successful = 2
    case failed = 3

    public var name: String {
        switch self {
        case .waiting: "waiting"
        case .running: "running"
        case .successful: "successful"
        case .failed: "failed"
        }
    }

    public var isFinal: Bool { self == .successful || self == .failed }
}

extension ProcessState {
    static func decode(_ r: inout WireReader, _ field: StaticString) throws(WireError)
        -> ProcessState
    {
        guard let s = ProcessState(rawValue: try r.u8(field)) else {
            throw WireError(.badEnum, field)
        }
        return s
    }
}

/// A submitted process and its history so far.
///
/// Layout: `id` (32 bytes), `state` (u8), `assigned` (bool, then a 32-byte runtime id when
/// true), `attempt` (u32: how many times it has been assigned; the close and attribute calls
/// must present the current one), `retries` (u32: how many times it was taken back after
/// its timeout), `submittedAt`, `startedAt`, `endedAt`, `deadline`, `waitDeadline` (i64,
/// ns since the epoch, 0 for not set), `spec`.
///
/// `spec.conditions.colonyId` is the process's colony.
public struct Process: WireCodable, Hashable {
    public var id: ID
    public var state: ProcessState
    public var assignedRuntime: ID?
    public var attempt: UInt32
    public var retries: UInt32
    public var submittedAt: Int64
    public var startedAt: Int64
    public var endedAt: Int64
    public var deadline: Int64
    public var waitDeadline: Int64
    public var spec: ProcessSpec

    public init(
        id: ID, state: ProcessState = .waiting, assignedRuntime: ID? = nil, attempt: UInt32 = 0,
        retries: UInt32 = 0, submittedAt: Int64 = 0, startedAt: Int64 = 0, endedAt: Int64 = 0,
        deadline: Int64 = 0, waitDeadline: Int64 = 0, spec: ProcessSpec
    ) {
        self.id = id
        self.state = state
        self.assignedRuntime = assignedRuntime
        self.attempt = attempt
        self.retries = retries
        self.submittedAt = submittedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.deadline = deadline
        self.waitDeadline = waitDeadline
        self.spec = spec
    }

    /// The colony the process belongs to.
    public var colonyId: ID { spec.conditions.colonyId }

    public func encode(to w: inout WireWriter) {
        w.id(id)
        w.u8(state.rawValue)
        w.bool(assignedRuntime != nil)
        if let assignedRuntime { w.id(assignedRuntime) }
        w.u32(attempt)
        w.u32(retries)
        w.i64(submittedAt)
        w.i64(startedAt)
        w.i64(endedAt)
        w.i64(deadline)
        w.i64(waitDeadline)
        spec.encode(to: &w)
    }

    /// The colony of an encoded process, read at its place in the layout without decoding
    /// the rest; nil when the bytes are too short to hold it.
    public static func colonyId(inEncoded bytes: UnsafeRawBufferPointer) -> ID? {
        // id, state, the assigned flag; the runtime id when set; attempt, retries, 5 times.
        let assignedFlag = 33
        guard bytes.count > assignedFlag else { return nil }
        let offset = assignedFlag + 1 + (bytes[assignedFlag] == 1 ? 32 : 0) + 4 + 4 + 5 * 8
        guard bytes.count >= offset + 32 else { return nil }
        return ID(bytes, at: offset)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Process {
        let id = try r.id("process.id")
        let state = try ProcessState.decode(&r, "process.state")
        let assigned = try r.bool("process.assigned") ? try r.id("process.assigned") : nil
        let attempt = try r.u32("process.attempt")
        let retries = try r.u32("process.retries")
        let submittedAt = try r.i64("process.submittedat")
        let startedAt = try r.i64("process.startedat")
        let endedAt = try r.i64("process.endedat")
        let deadline = try r.i64("process.deadline")
        let waitDeadline = try r.i64("process.waitdeadline")
        return Process(
            id: id, state: state, assignedRuntime: assigned, attempt: attempt,
            retries: retries, submittedAt: submittedAt, startedAt: startedAt, endedAt: endedAt,
            deadline: deadline, waitDeadline: waitDeadline, spec: try ProcessSpec.decode(from: &r))
    }
}
