import Wire

/// What the server keeps for one connection, on its loop thread.
public struct Session: Sendable {
    /// Unique across the server's connections; waiters and subscriptions name it.
    let token: UInt64
    /// Checks the sequence and signatures of this connection's requests.
    var verifier: RequestVerifier
    /// Requests handed to the store whose replies have not been sent yet.
    var inFlight = 0
    /// Frames refused for their signature or sequence; too many close the connection.
    var authenticationFailures = 0
    /// Reused for the frames this connection sends from its loop thread.
    var encoder = FrameEncoder()

    init(token: UInt64, challenge: ID) {
        self.token = token
        verifier = RequestVerifier(challenge: challenge)
    }
}
