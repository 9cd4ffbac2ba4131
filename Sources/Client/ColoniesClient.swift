import Wire

/// A connection to a Colonies server, for one thread at a time.
///
/// Use it blocking, one call at a time (`call`, or the typed calls in `Calls.swift`), or
/// pipelined: `send` several requests, then `receive` their replies in whatever order
/// they come. Events of subscriptions arrive through `receive` or `nextEvent`.
public final class ColoniesClient {
    /// What the server said first: its protocol versions, the challenge, its owner's id.
    public let hello: Hello

    private let socket: Socket
    private let readTimeout: Int32
    private var inbox: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 16 * 1024)
    private var encoder = FrameEncoder()
    private var nextRequestId: UInt32 = 1
    private var sequence: UInt64 = 0
    /// The type of each request sent and not yet answered, to decode its reply.
    private var pending: [UInt32: MessageType] = [:]
    /// Events and replies read while waiting for something else.
    private var early: [Incoming] = []

    /// Connects, reads the server's hello and checks the protocol version.
    ///
    /// - Parameters:
    ///   - connectTimeout: milliseconds to wait for the connection.
    ///   - readTimeout: milliseconds to wait for each reply (-1: no limit). A waiting
    ///     assign adds its own wait to this.
    public init(
        host: String, port: UInt16, connectTimeout: Int32 = 5000, readTimeout: Int32 = 30_000
    ) throws(ClientError) {
        socket = try Socket(host: host, port: port, timeoutMilliseconds: connectTimeout)
        self.readTimeout = readTimeout

        var inbox: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 4096)
        let frame = try Self.readFrame(socket, &inbox, &scratch, timeout: readTimeout)
        guard frame.typeByte == MessageType.hello.rawValue else {
            throw .unexpectedReply(frame.messageType ?? .hello)
        }
        do { hello = try Hello.decode(exactly: frame.body) } catch { throw .malformed(error) }
        guard hello.minVersion <= FrameLayout.version && FrameLayout.version <= hello.maxVersion
        else { throw .unsupportedVersion(min: hello.minVersion, max: hello.maxVersion) }
        self.inbox = Array(inbox)
    }

    /// What came from the server.
    public enum Incoming: Sendable {
        case reply(requestId: UInt32, Reply)
        case error(requestId: UInt32, ErrorBody)
        case event(subscription: UInt32, Process)
    }

    /// Sends a request signed with `key` (nil only for ping) and returns its request id.
    @discardableResult
    public func send(_ request: Request, key: PrivateKey?) throws(ClientError) -> UInt32 {
        let id = nextRequestId
        nextRequestId = nextRequestId == UInt32.max ? 1 : nextRequestId + 1
        if key != nil { sequence += 1 }
        let bytes = encoder.request(
            request, requestId: id, key: key, challenge: hello.challenge, sequence: sequence)
        try socket.write(bytes)
        pending[id] = request.type
        return id
    }

    /// The next reply, error or event, waiting at most the read timeout plus `extraWait`
    /// milliseconds.
    public func receive(extraWait: Int32 = 0) throws(ClientError) -> Incoming {
        if !early.isEmpty { return early.removeFirst() }
        return try readIncoming(extraWait: extraWait)
    }

    /// Sends a request and waits for its reply; events that arrive meanwhile are kept for
    /// `nextEvent`. An error frame becomes `ClientError.refused`.
    public func call(_ request: Request, key: PrivateKey?, extraWait: Int32 = 0)
        throws(ClientError) -> Reply
    {
        try callReturningID(request, key: key, extraWait: extraWait).reply
    }

    /// Sends a request that must be answered with an empty reply; returns its request id.
    func sendExpectingDone(_ request: Request, _ key: PrivateKey) throws(ClientError) -> UInt32 {
        let (id, reply) = try callReturningID(request, key: key, extraWait: 0)
        guard case .done = reply else { throw .unexpectedReply(request.type) }
        return id
    }

    private func callReturningID(_ request: Request, key: PrivateKey?, extraWait: Int32)
        throws(ClientError) -> (id: UInt32, reply: Reply)
    {
        let id = try send(request, key: key)
        while true {
            let incoming = try readIncoming(extraWait: extraWait)
            switch incoming {
            case .reply(id, let reply): return (id, reply)
            case .error(id, let body): throw .refused(code: body.code, message: body.message.string)
            case .error(0, let body): throw .refused(code: body.code, message: body.message.string)
            default: early.append(incoming)
            }
        }
    }

    /// The next event of any subscription, waiting at most `timeout` milliseconds
    /// (-1: no limit).
    public func nextEvent(timeout: Int32) throws(ClientError) -> (subscription: UInt32, Process) {
        if let index = early.firstIndex(where: { if case .event = $0 { true } else { false } }),
            case .event(let s, let p) = early.remove(at: index)
        {
            return (s, p)
        }
        while true {
            let incoming = try readIncoming(timeout: timeout)
            if case .event(let s, let p) = incoming { return (s, p) }
            early.append(incoming)
        }
    }

    private func readIncoming(extraWait: Int32 = 0) throws(ClientError) -> Incoming {
        let timeout = readTimeout < 0 ? -1 : readTimeout + max(0, extraWait)
        return try readIncoming(timeout: timeout)
    }

    private func readIncoming(timeout: Int32) throws(ClientError) -> Incoming {
        let frame = try Self.readFrame(socket, &inbox, &scratch, timeout: timeout)
        return try interpret(frame)
    }

    private func interpret(_ frame: Frame) throws(ClientError) -> Incoming {
        let incoming: Incoming?
        do { incoming = try decode(frame) } catch { throw .malformed(error) }
        guard let incoming else { throw .unexpectedReply(frame.messageType ?? .error) }
        return incoming
    }

    /// The frame as a reply, error or event; nil when it answers no request sent.
    private func decode(_ frame: Frame) throws(WireError) -> Incoming? {
        if frame.typeByte == MessageType.error.rawValue {
            pending[frame.requestId] = nil
            return .error(requestId: frame.requestId, try ErrorBody.decode(exactly: frame.body))
        }
        if frame.typeByte == MessageType.event.rawValue {
            return .event(subscription: frame.requestId, try Process.decode(exactly: frame.body))
        }
        guard frame.isReply, let type = frame.messageType, pending[frame.requestId] == type
        else { return nil }
        pending[frame.requestId] = nil
        return .reply(requestId: frame.requestId, try Reply.decode(for: type, body: frame.body))
    }

    /// Reads until `inbox` holds a whole frame, then takes it off the front.
    private static func readFrame(
        _ socket: borrowing Socket, _ inbox: inout [UInt8], _ scratch: inout [UInt8],
        timeout: Int32
    ) throws(ClientError) -> Frame {
        while true {
            let length: FrameLength
            do { length = try FrameParser.length(of: inbox[...]) } catch { throw .malformed(error) }
            if case .complete(let total) = length {
                let bytes = Array(inbox[FrameLayout.prefixSize..<total])
                inbox.removeFirst(total)
                do { return try FrameParser.parse(bytes[...]) } catch { throw .malformed(error) }
            }
            try socket.read(into: &inbox, scratch: &scratch, timeoutMilliseconds: timeout)
        }
    }
}
