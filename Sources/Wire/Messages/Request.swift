/// Every request a client can send. Each case's body layout is given by its fields in
/// order; ids are 32 bytes, and `ProcessState` is one byte.
public enum Request: Sendable, Hashable {
    /// Empty body. Unsigned; answered with a `Pong`.
    case ping
    case addColony(Colony)
    /// Empty body.
    case listColonies
    case getColony(colonyId: ID)
    case removeColony(colonyId: ID)
    /// The runtime's `state` and `registeredAt` must be 0; the server sets them.
    case addRuntime(Runtime)
    case listRuntimes(colonyId: ID)
    case getRuntime(runtimeId: ID)
    case approveRuntime(runtimeId: ID)
    case rejectRuntime(runtimeId: ID)
    case removeRuntime(runtimeId: ID)
    case submitProcess(ProcessSpec)
    case getProcess(processId: ID)
    /// `count` (u16) is 1 to 1000; the newest come first.
    case listProcesses(colonyId: ID, state: ProcessState, count: UInt16)
    /// `waitSeconds` (u16) is 0 to 3600: how long the server may hold the request open
    /// for work to arrive.
    case assignProcess(colonyId: ID, waitSeconds: UInt16)
    /// `attempt` (u32) is the assignment's attempt number.
    case closeSuccessful(processId: ID, attempt: UInt32)
    case closeFailed(processId: ID, attempt: UInt32)
    case removeProcess(processId: ID)
    case colonyStatistics(colonyId: ID)
    case addAttribute(NewAttribute)
    case getAttribute(attributeId: ID)
    case subscribeProcess(processId: ID)
    case subscribeColony(colonyId: ID, state: ProcessState)

    public var type: MessageType {
        switch self {
        case .ping: .ping
        case .addColony: .addColony
        case .listColonies: .listColonies
        case .getColony: .getColony
        case .removeColony: .removeColony
        case .addRuntime: .addRuntime
        case .listRuntimes: .listRuntimes
        case .getRuntime: .getRuntime
        case .approveRuntime: .approveRuntime
        case .rejectRuntime: .rejectRuntime
        case .removeRuntime: .removeRuntime
        case .submitProcess: .submitProcess
        case .getProcess: .getProcess
        case .listProcesses: .listProcesses
        case .assignProcess: .assignProcess
        case .closeSuccessful: .closeSuccessful
        case .closeFailed: .closeFailed
        case .removeProcess: .removeProcess
        case .colonyStatistics: .colonyStatistics
        case .addAttribute: .addAttribute
        case .getAttribute: .getAttribute
        case .subscribeProcess: .subscribeProcess
        case .subscribeColony: .subscribeColony
        }
    }

    public func encodeBody(to w: inout WireWriter) {
        switch self {
        case .ping, .listColonies:
            break
        case .addColony(let c): c.encode(to: &w)
        case .addRuntime(let r): r.encode(to: &w)
        case .submitProcess(let s): s.encode(to: &w)
        case .addAttribute(let a): a.encode(to: &w)
        case .getColony(let id), .removeColony(let id), .listRuntimes(let id),
            .getRuntime(let id), .approveRuntime(let id), .rejectRuntime(let id),
            .removeRuntime(let id), .getProcess(let id), .removeProcess(let id),
            .colonyStatistics(let id), .getAttribute(let id), .subscribeProcess(let id):
            w.id(id)
        case .listProcesses(let colonyId, let state, let count):
            w.id(colonyId)
            w.u8(state.rawValue)
            w.u16(count)
        case .assignProcess(let colonyId, let wait):
            w.id(colonyId)
            w.u16(wait)
        case .closeSuccessful(let id, let attempt), .closeFailed(let id, let attempt):
            w.id(id)
            w.u32(attempt)
        case .subscribeColony(let colonyId, let state):
            w.id(colonyId)
            w.u8(state.rawValue)
        }
    }

    /// Decodes the body of a request of `type`, which must use every byte.
    public static func decode(type: MessageType, body: ArraySlice<UInt8>) throws(WireError)
        -> Request
    {
        var r = WireReader(body)
        let request = try decodeFields(type: type, &r)
        try r.finish("request")
        return request
    }

    private static func decodeFields(type: MessageType, _ r: inout WireReader)
        throws(WireError) -> Request
    {
        switch type {
        case .hello, .event, .error: throw WireError(.unknownMessageType, "type")
        case .ping: return .ping
        case .listColonies: return .listColonies
        case .addColony: return .addColony(try Colony.decode(from: &r))
        case .getColony: return .getColony(colonyId: try r.id("colonyid"))
        case .removeColony: return .removeColony(colonyId: try r.id("colonyid"))
        case .addRuntime:
            let runtime = try Runtime.decode(from: &r)
            guard runtime.state == .pending && runtime.registeredAt == 0 else {
                throw WireError(.invalidValue, "runtime.state")
            }
            return .addRuntime(runtime)
        case .listRuntimes: return .listRuntimes(colonyId: try r.id("colonyid"))
        case .getRuntime: return .getRuntime(runtimeId: try r.id("runtimeid"))
        case .approveRuntime: return .approveRuntime(runtimeId: try r.id("runtimeid"))
        case .rejectRuntime: return .rejectRuntime(runtimeId: try r.id("runtimeid"))
        case .removeRuntime: return .removeRuntime(runtimeId: try r.id("runtimeid"))
        case .submitProcess: return .submitProcess(try ProcessSpec.decode(from: &r))
        case .getProcess: return .getProcess(processId: try r.id("processid"))
        case .listProcesses:
            let colonyId = try r.id("colonyid")
            let state = try ProcessState.decode(&r, "state")
            let count = try r.u16("count")
            guard count >= 1 && Int(count) <= Limits.maxListCount else {
                throw WireError(.invalidValue, "count")
            }
            return .listProcesses(colonyId: colonyId, state: state, count: count)
        case .assignProcess:
            let colonyId = try r.id("colonyid")
            let wait = try r.u16("waitseconds")
            guard wait <= Limits.maxWaitSeconds else {
                throw WireError(.invalidValue, "waitseconds")
            }
            return .assignProcess(colonyId: colonyId, waitSeconds: wait)
        case .closeSuccessful:
            return .closeSuccessful(processId: try r.id("processid"), attempt: try r.u32("attempt"))
        case .closeFailed:
            return .closeFailed(processId: try r.id("processid"), attempt: try r.u32("attempt"))
        case .removeProcess: return .removeProcess(processId: try r.id("processid"))
        case .colonyStatistics: return .colonyStatistics(colonyId: try r.id("colonyid"))
        case .addAttribute: return .addAttribute(try NewAttribute.decode(from: &r))
        case .getAttribute: return .getAttribute(attributeId: try r.id("attributeid"))
        case .subscribeProcess: return .subscribeProcess(processId: try r.id("processid"))
        case .subscribeColony:
            return .subscribeColony(
                colonyId: try r.id("colonyid"), state: try ProcessState.decode(&r, "state"))
        }
    }
}
