/// Why a key or signature was refused.
public enum IdentityError: Error, Equatable, Sendable {
    /// The private key is not 64 hex digits.
    case malformedPrivateKey
    /// The private key is zero or not below the order of the curve.
    case invalidPrivateKey
    /// The signature is not 65 bytes.
    case malformedSignature
    /// The recovery id `v` is not 0 or 1.
    case invalidRecoveryID
    /// `s` is in the upper half of the curve order; only low-S signatures are accepted.
    case highS
    /// `r` or `s` is zero or not below the curve order, or no key can be recovered.
    case unrecoverable
}
