/// A request that passed every check: well-formed, fresh on its connection, and signed by
/// `signer` (nil only for ping, which is unsigned).
public struct VerifiedRequest: Sendable {
    public var requestId: UInt32
    public var request: Request
    public var signer: ID?
}

/// Checks the requests of one connection: frame shape, signature, sequence.
///
/// The checks run cheapest first, so that garbage costs no signature recovery: type, flags,
/// sequence, body, then the signature. A frame that fails changes nothing; the sequence
/// moves on only when a frame is accepted.
public struct RequestVerifier: Sendable {
    /// The challenge this connection's hello carried.
    public let challenge: ID
    /// The highest sequence number accepted so far; a new one must be greater.
    public private(set) var lastSequence: UInt64 = 0
    private var signers = SignerCache()

    public init(challenge: ID) {
        self.challenge = challenge
    }

    public init(challenge: ID, lastSequence: UInt64) {
        self.challenge = challenge
        self.lastSequence = lastSequence
    }

    /// Verifies one parsed frame. Errors carry the code the error frame must use.
    public mutating func verify(_ frame: Frame) throws(WireError) -> VerifiedRequest {
        guard !frame.isReply, let type = frame.messageType, type.isRequest else {
            throw WireError(.unknownMessageType, "type")
        }

        guard type.needsSignature else {
            guard !frame.isSigned else { throw WireError(.unexpectedSignature, "flags") }
            let request = try Request.decode(type: type, body: frame.body)
            return VerifiedRequest(requestId: frame.requestId, request: request, signer: nil)
        }

        guard let signature = frame.signature else {
            throw WireError(.unsignedRequest, "flags")
        }
        guard frame.sequence > lastSequence else {
            throw WireError(.staleSequence, "sequence")
        }
        let request = try Request.decode(type: type, body: frame.body)

        let digest = Signing.digest(
            challenge: challenge, version: frame.version, type: frame.typeByte,
            requestId: frame.requestId, sequence: frame.sequence, body: frame.body)
        let signer: ID
        do {
            signer = try signature.recoverSigner(digest: digest, cache: &signers)
        } catch {
            throw WireError(.badSignature, "signature")
        }

        lastSequence = frame.sequence
        return VerifiedRequest(requestId: frame.requestId, request: request, signer: signer)
    }
}
