import Store
import Wire

/// The server's side of every connection: hello, then parse, verify and dispatch each frame.
public struct RequestHandler: ConnectionHandler {
    public typealias State = Session

    let core: ServerCore

    /// Authentication failures one connection may make before it is closed: a client
    /// that keeps sending frames it cannot sign is not worth a signature recovery each.
    static let maxAuthenticationFailures = 16

    public func makeState(for id: ConnectionID) -> Session {
        Session(token: core.nextToken(), challenge: Random.id())
    }

    public func opened(_ connection: Connection<RequestHandler>) {
        let hello = core.hello(connection.state.verifier.challenge)
        connection.sendRaw(connection.state.encoder.hello(hello))
    }

    public func frame(_ connection: Connection<RequestHandler>, _ payload: ArraySlice<UInt8>) {
        // A decoded request keeps slices of its frame (texts, lists), and a queued mutation
        // or a waiting assign keeps the request. Parsing a copy of a few hundred bytes keeps
        // them from pinning the loop's 64 KB read buffer, which the next read would then
        // have to copy whole (seen in a profile of durable submits: 12k instructions each).
        let owned = Array(payload)[...]
        let frame: Frame
        do {
            frame = try FrameParser.parse(owned)
        } catch {
            // A frame whose header is wrong says the peer does not speak this protocol:
            // answer once and hang up (spec/PROTOCOL.md, "After an error").
            refuse(connection, error, requestId: 0)
            core.log.info(
                "connection-closed",
                ["connection": "\(connection.state.token)", "reason": error.code.name])
            connection.close()
            return
        }

        let verified: VerifiedRequest
        do {
            verified = try connection.state.verifier.verify(frame)
        } catch {
            refuse(connection, error, requestId: frame.requestId)
            return
        }
        Dispatcher(core: core, connection: connection, requestId: verified.requestId)
            .dispatch(verified.request, signer: verified.signer)
    }

    public func oversized(_ connection: Connection<RequestHandler>, declaredLength: Int) {
        core.log.warning(
            "frame-too-large",
            ["connection": "\(connection.state.token)", "length": "\(declaredLength)"])
        let bytes = connection.state.encoder.error(
            .frameTooLarge, "a frame may hold at most \(Limits.maxFrameBytes) bytes",
            requestId: 0)
        connection.sendRaw(bytes)
    }

    public func closed(_ connection: Connection<RequestHandler>) {
        let token = connection.state.token
        core.waiters.removeAll(connectionToken: token)
        core.subscriptions.removeAll(connectionToken: token)
    }

    private func refuse(_ connection: Connection<RequestHandler>, _ error: WireError,
                        requestId: UInt32) {
        let code = error.code
        let bytes = connection.state.encoder.error(code, error.description, requestId: requestId)
        connection.sendRaw(bytes)

        guard code.rawValue >= 20 && code.rawValue < 30 else { return }
        connection.state.authenticationFailures += 1
        let failures = connection.state.authenticationFailures
        core.log.debug(
            "authentication-failed",
            ["connection": "\(connection.state.token)", "code": code.name])
        if failures >= Self.maxAuthenticationFailures {
            core.log.warning(
                "connection-closed",
                ["connection": "\(connection.state.token)", "reason": "authentication-failures",
                 "count": "\(failures)"])
            connection.close()
        }
    }
}
