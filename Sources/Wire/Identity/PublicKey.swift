import CSecp256k1

/// Public keys exist only on the way to an id: the server never stores them.
enum PublicKey {
    static func serialize(_ key: secp256k1_pubkey) -> [UInt8] {
        var key = key
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(
            Secp256k1.context, &out, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return out
    }

    /// SHA3-256 of the ASCII lower-case hex of the 65-byte uncompressed key.
    static func id(ofUncompressed key: [UInt8]) -> ID {
        SHA3.digest(Hex.encode(key).utf8)
    }
}
