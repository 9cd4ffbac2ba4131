import CSecp256k1

/// A secp256k1 private key. Its 32 bytes live in memory that this object owns and wipes
/// when the object goes away, so a key is never left behind in freed memory.
///
/// Sendable: the secret never changes after init, and signing only reads it.
public final class PrivateKey: @unchecked Sendable {
    private let secret: UnsafeMutableRawBufferPointer

    private init(taking secret: UnsafeMutableRawBufferPointer) {
        self.secret = secret
    }

    deinit {
        Sodium.wipe(secret)
        secret.deallocate()
    }

    /// Makes a new key from libsodium's randomness, drawing again until it is valid
    /// for secp256k1 (nonzero and below the curve order).
    public static func generate() -> PrivateKey {
        Sodium.ensureInitialized()
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
        repeat {
            Random.fillRaw(raw)
        } while secp256k1_ec_seckey_verify(Secp256k1.context, raw.baseAddress!
            .assumingMemoryBound(to: UInt8.self)) != 1
        return PrivateKey(taking: raw)
    }

    /// Parses 64 hex digits. The text itself is the caller's to keep or drop.
    public convenience init(hex: String) throws(IdentityError) {
        guard var bytes = Hex.decode(hex), bytes.count == 32 else {
            throw .malformedPrivateKey
        }
        defer { bytes.withUnsafeMutableBytes { Sodium.wipe($0) } }
        try self.init(bytes: bytes)
    }

    /// Copies 32 key bytes; the caller wipes its own copy.
    public convenience init(bytes: [UInt8]) throws(IdentityError) {
        guard bytes.count == 32 else { throw .malformedPrivateKey }
        let valid = bytes.withUnsafeBufferPointer {
            secp256k1_ec_seckey_verify(Secp256k1.context, $0.baseAddress!) == 1
        }
        guard valid else { throw .invalidPrivateKey }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
        raw.copyBytes(from: bytes)
        self.init(taking: raw)
    }

    private var secretPointer: UnsafePointer<UInt8> {
        UnsafePointer(secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// The key as 64 lower-case hex digits, for writing to a keychain or printing once.
    public var hex: String { Hex.encode(UnsafeRawBufferPointer(secret)) }

    /// Calls `body` with the 32 secret bytes; they must not escape it.
    public func withSecretBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(secret))
    }

    /// The 65-byte uncompressed public key (0x04, x, y).
    public var publicKey: [UInt8] {
        var pubkey = secp256k1_pubkey()
        let ok = secp256k1_ec_pubkey_create(Secp256k1.context, &pubkey, secretPointer)
        precondition(ok == 1, "a verified private key must have a public key")
        return PublicKey.serialize(pubkey)
    }

    /// The id of this key: SHA3-256 of the lower-case hex of its uncompressed public key.
    public var id: ID { PublicKey.id(ofUncompressed: publicKey) }

    /// Signs a 32-byte digest: r || s || v, low-S, with the deterministic RFC 6979 nonce.
    public func sign(digest: ID) -> Signature {
        var sig = secp256k1_ecdsa_recoverable_signature()
        let ok = digest.withBytes { d in
            secp256k1_ecdsa_sign_recoverable(
                Secp256k1.context, &sig, d.baseAddress!.assumingMemoryBound(to: UInt8.self),
                secretPointer, nil, nil)
        }
        precondition(ok == 1, "signing with a verified key cannot fail")
        return Signature(recoverable: sig)
    }
}

extension Random {
    static func fillRaw(_ raw: UnsafeMutableRawBufferPointer) {
        Sodium.ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: raw.count)
        fill(&bytes)
        raw.copyBytes(from: bytes)
        bytes.withUnsafeMutableBytes { Sodium.wipe($0) }
    }
}
