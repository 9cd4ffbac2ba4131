import CSodium
import Foundation

/// Seals small secrets under a passphrase with libsodium: Argon2id (crypto_pwhash) derives
/// a key from the passphrase and a random salt, and XSalsa20-Poly1305 (crypto_secretbox)
/// encrypts and authenticates with a random nonce. All calls into libsodium for the
/// keychain are in this file.
enum PassphraseSeal {
    /// A sealed secret and everything except the passphrase needed to open it.
    struct Sealed: Equatable, Sendable {
        var opsLimit: UInt64
        var memLimit: Int
        var salt: [UInt8]
        var nonce: [UInt8]
        /// The ciphertext with its 16-byte authentication tag in front.
        var box: [UInt8]
    }

    /// Why a secret could not be sealed or opened.
    enum Failure: Error, Equatable, Sendable {
        /// The passphrase is wrong or the sealed bytes were changed.
        case cannotOpen
        /// The salt, nonce or box has the wrong length, or the cost is out of bounds.
        case malformed(String)
        /// Argon2id could not get the memory it needs.
        case keyDerivationFailed
    }

    /// The algorithm name recorded beside sealed secrets.
    static let algorithm = "argon2id13+xsalsa20poly1305"

    /// The cost used for new seals: libsodium's "interactive" level, about 64 MiB and a
    /// fraction of a second, since the tool derives the key on every run.
    static var defaultOpsLimit: UInt64 { UInt64(crypto_pwhash_opslimit_interactive()) }
    static var defaultMemLimit: Int { crypto_pwhash_memlimit_interactive() }

    // A sealed file states its own cost; these bounds stop a planted file from asking for
    // hours of work or all of memory.
    private static let maxOpsLimit: UInt64 = 16
    private static let maxMemLimit = 1 << 30

    /// Seals `secret` under `passphrase`. The caller wipes its own copy of the secret.
    static func seal(
        _ secret: [UInt8], passphrase: String,
        opsLimit: UInt64 = defaultOpsLimit, memLimit: Int = defaultMemLimit
    ) throws(Failure) -> Sealed {
        initialize()
        var sealed = Sealed(
            opsLimit: opsLimit, memLimit: memLimit,
            salt: randomBytes(Int(crypto_pwhash_saltbytes())),
            nonce: randomBytes(Int(crypto_secretbox_noncebytes())), box: [])

        var key = try deriveKey(passphrase, sealed)
        defer { wipe(&key) }

        var box = [UInt8](repeating: 0, count: secret.count + Int(crypto_secretbox_macbytes()))
        _ = crypto_secretbox_easy(
            &box, secret, UInt64(secret.count), sealed.nonce, key)
        sealed.box = box
        return sealed
    }

    /// Opens a sealed secret. The caller owns the result and must `wipe` it after use.
    static func open(_ sealed: Sealed, passphrase: String) throws(Failure) -> [UInt8] {
        initialize()
        try check(sealed)

        var key = try deriveKey(passphrase, sealed)
        defer { wipe(&key) }

        let mac = Int(crypto_secretbox_macbytes())
        var secret = [UInt8](repeating: 0, count: sealed.box.count - mac)
        let status = crypto_secretbox_open_easy(
            &secret, sealed.box, UInt64(sealed.box.count), sealed.nonce, key)
        guard status == 0 else {
            wipe(&secret)
            throw .cannotOpen
        }
        return secret
    }

    /// Overwrites a buffer with zeros in a way the optimiser may not remove.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
    }

    /// Overwrites a Data's bytes with zeros.
    static func wipe(_ data: inout Data) {
        data.withUnsafeMutableBytes { wipe($0) }
    }

    /// Overwrites memory with zeros in a way the optimiser may not remove.
    static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress else { return }
        sodium_memzero(base, raw.count)
    }

    private static func check(_ sealed: Sealed) throws(Failure) {
        guard sealed.salt.count == Int(crypto_pwhash_saltbytes()) else {
            throw .malformed("the salt is not \(crypto_pwhash_saltbytes()) bytes")
        }
        guard sealed.nonce.count == Int(crypto_secretbox_noncebytes()) else {
            throw .malformed("the nonce is not \(crypto_secretbox_noncebytes()) bytes")
        }
        guard sealed.box.count >= Int(crypto_secretbox_macbytes()) else {
            throw .malformed("the sealed key is too short")
        }
        let minOps = UInt64(crypto_pwhash_opslimit_min())
        guard (minOps...maxOpsLimit).contains(sealed.opsLimit) else {
            throw .malformed("opslimit \(sealed.opsLimit) is outside \(minOps)...\(maxOpsLimit)")
        }
        let minMem = crypto_pwhash_memlimit_min()
        guard (minMem...maxMemLimit).contains(sealed.memLimit) else {
            throw .malformed("memlimit \(sealed.memLimit) is outside \(minMem)...\(maxMemLimit)")
        }
    }

    private static func deriveKey(
        _ passphrase: String, _ sealed: Sealed
    ) throws(Failure) -> [UInt8] {
        // A copy that can be wiped; the caller's String cannot be.
        var phrase = Array(passphrase.utf8CString)
        defer { phrase.withUnsafeMutableBytes { wipe($0) } }

        var key = [UInt8](repeating: 0, count: Int(crypto_secretbox_keybytes()))
        let status = crypto_pwhash(
            &key, UInt64(key.count), phrase, UInt64(phrase.count - 1),
            sealed.salt, sealed.opsLimit, sealed.memLimit, crypto_pwhash_alg_argon2id13())
        guard status == 0 else {
            wipe(&key)
            throw .keyDerivationFailed
        }
        return key
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return bytes
    }

    private static func initialize() {
        // sodium_init is safe to call again; a failure leaves no safe randomness to use.
        precondition(sodium_init() >= 0, "sodium_init failed")
    }
}
