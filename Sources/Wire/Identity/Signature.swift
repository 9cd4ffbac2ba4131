import CSecp256k1

/// A 65-byte recoverable ECDSA signature: r (32 bytes), s (32 bytes), v (0 or 1).
public struct Signature: Hashable, Sendable {
    public var r: ID
    public var s: ID
    public var v: UInt8

    /// The byte count of a signature on the wire.
    public static let size = 65

    public init(r: ID, s: ID, v: UInt8) {
        self.r = r
        self.s = s
        self.v = v
    }

    /// Reads 65 bytes at `offset`; the caller checks the length.
    public init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) {
        r = ID(bytes, at: offset)
        s = ID(bytes, at: offset + 32)
        v = bytes[offset + 64]
    }

    /// Parses 130 hex digits; nil for anything else.
    public init?(hex: String) {
        guard let b = Hex.decode(hex), b.count == 65 else { return nil }
        self = b.withUnsafeBytes { Signature($0) }
    }

    init(recoverable sig: secp256k1_ecdsa_recoverable_signature) {
        var sig = sig
        var compact = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
            Secp256k1.context, &compact, &recid, &sig)
        r = ID(bytes: compact[0..<32])!
        s = ID(bytes: compact[32..<64])!
        v = UInt8(recid)
    }

    /// The 65 bytes r || s || v.
    public var bytes: [UInt8] { r.bytes + s.bytes + [v] }

    public var hex: String { Hex.encode(bytes) }

    /// Recovers the id of the key that signed `digest`.
    ///
    /// Refuses v outside {0, 1}, high-S signatures (so that no second valid encoding of a
    /// signature exists) and r or s out of range.
    public func recoverSigner(digest: ID) throws(IdentityError) -> ID {
        let key = try recoverKey(digest: digest)
        return PublicKey.withSerialized(key) { PublicKey.id(ofUncompressed: $0) }
    }

    /// The same, looking the key up in `cache` before hashing it into an id.
    public func recoverSigner(digest: ID, cache: inout SignerCache) throws(IdentityError) -> ID {
        let key = try recoverKey(digest: digest)
        return PublicKey.withSerialized(key) { cache.id(ofUncompressed: $0) }
    }

    private func recoverKey(digest: ID) throws(IdentityError) -> secp256k1_pubkey {
        guard v <= 1 else { throw .invalidRecoveryID }

        let ctx = Secp256k1.context
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        let parsed = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { compact in
            let raw = UnsafeMutableRawBufferPointer(compact)
            let (low, high) = (raw[0..<32], raw[32...])
            r.withBytes { UnsafeMutableRawBufferPointer(rebasing: low).copyMemory(from: $0) }
            s.withBytes { UnsafeMutableRawBufferPointer(rebasing: high).copyMemory(from: $0) }
            return secp256k1_ecdsa_recoverable_signature_parse_compact(
                ctx, &recoverable, compact.baseAddress!, Int32(v))
        }
        guard parsed == 1 else { throw .unrecoverable }

        // normalize() reports whether the signature was high-S; the library would accept it.
        var plain = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_recoverable_signature_convert(ctx, &plain, &recoverable)
        guard secp256k1_ecdsa_signature_normalize(ctx, nil, &plain) == 0 else { throw .highS }

        var pubkey = secp256k1_pubkey()
        let ok = digest.withBytes { d in
            secp256k1_ecdsa_recover(
                ctx, &pubkey, &recoverable, d.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard ok == 1 else { throw .unrecoverable }
        return pubkey
    }
}
