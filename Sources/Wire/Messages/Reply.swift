/// The body of a reply. Which case a reply carries follows from its request's type (see
/// `Reply.decode(for:body:)`); the frame's type byte is the request's with the high bit set.
public enum Reply: Sendable, Hashable {
    /// Ping.
    case pong(Pong)
    /// Add and get colony.
    case colony(Colony)
    /// List colonies: a list of colonies.
    case colonies(WireList<Colony>)
    /// Add, get, approve and reject runtime.
    case runtime(Runtime)
    /// List runtimes.
    case runtimes(WireList<Runtime>)
    /// Submit process: the process as stored.
    case process(Process)
    /// Get process: the process, then its attributes (a list).
    case processDetails(Process, attributes: WireList<Attribute>)
    /// List processes: a list, then `truncated` (bool), true when more matched than fit.
    case processes(WireList<Process>, truncated: Bool)
    /// Assign: `assigned` (bool), then the process when true; false means no work came.
    case assignment(Process?)
    /// Add and get attribute.
    case attribute(Attribute)
    /// Colony statistics.
    case statistics(Statistics)
    /// Remove, close and subscribe: an empty body.
    case done

    public func encode(to w: inout WireWriter) {
        switch self {
        case .pong(let p): p.encode(to: &w)
        case .colony(let c): c.encode(to: &w)
        case .colonies(let l): l.encode(to: &w)
        case .runtime(let r): r.encode(to: &w)
        case .runtimes(let l): l.encode(to: &w)
        case .process(let p): p.encode(to: &w)
        case .processDetails(let p, let attributes):
            p.encode(to: &w)
            attributes.encode(to: &w)
        case .processes(let l, let truncated):
            l.encode(to: &w)
            w.bool(truncated)
        case .assignment(let p):
            w.bool(p != nil)
            p?.encode(to: &w)
        case .attribute(let a): a.encode(to: &w)
        case .statistics(let s): s.encode(to: &w)
        case .done: break
        }
    }

    /// Decodes the reply to a request of type `request`; the body must be used exactly.
    public static func decode(for request: MessageType, body: ArraySlice<UInt8>)
        throws(WireError) -> Reply
    {
        var r = WireReader(body)
        let reply = try decodeFields(for: request, &r)
        try r.finish("reply")
        return reply
    }

    private static func decodeFields(for request: MessageType, _ r: inout WireReader)
        throws(WireError) -> Reply
    {
        let max = Limits.maxListCount
        switch request {
        case .hello, .event, .error: throw WireError(.unknownMessageType, "type")
        case .ping: return .pong(try Pong.decode(from: &r))
        case .addColony, .getColony: return .colony(try Colony.decode(from: &r))
        case .listColonies:
            return .colonies(try WireList<Colony>.decode(from: &r, maxCount: max, "colonies"))
        case .addRuntime, .getRuntime, .approveRuntime, .rejectRuntime:
            return .runtime(try Runtime.decode(from: &r))
        case .listRuntimes:
            return .runtimes(try WireList<Runtime>.decode(from: &r, maxCount: max, "runtimes"))
        case .submitProcess: return .process(try Process.decode(from: &r))
        case .getProcess:
            let process = try Process.decode(from: &r)
            let attributes = try WireList<Attribute>.decode(
                from: &r, maxCount: Limits.maxAttributesPerProcess, "attributes")
            return .processDetails(process, attributes: attributes)
        case .listProcesses:
            let list = try WireList<Process>.decode(from: &r, maxCount: max, "processes")
            return .processes(list, truncated: try r.bool("truncated"))
        case .assignProcess:
            return .assignment(try r.bool("assigned") ? try Process.decode(from: &r) : nil)
        case .addAttribute, .getAttribute: return .attribute(try Attribute.decode(from: &r))
        case .colonyStatistics: return .statistics(try Statistics.decode(from: &r))
        case .removeColony, .removeRuntime, .closeSuccessful, .closeFailed, .removeProcess,
            .subscribeProcess, .subscribeColony:
            return .done
        }
    }
}
