import CSecp256k1

/// Public keys exist only on the way to an id: the server never stores them.
enum PublicKey {
    /// The byte count of an uncompressed key: 0x04, then x and y.
    static let uncompressedSize = 65

    static func serialize(_ key: secp256k1_pubkey) -> [UInt8] {
        withSerialized(key) { Array($0) }
    }

    /// Calls `body` with the 65-byte uncompressed form of `key` in a stack buffer: recovery
    /// runs for every request, and this keeps it off the heap.
    static func withSerialized<T>(_ key: secp256k1_pubkey, _ body: (UnsafeRawBufferPointer) -> T)
        -> T
    {
        var key = key
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: uncompressedSize) { out in
            var length = uncompressedSize
            _ = secp256k1_ec_pubkey_serialize(
                Secp256k1.context, out.baseAddress!, &length, &key,
                UInt32(SECP256K1_EC_UNCOMPRESSED))
            return body(UnsafeRawBufferPointer(out))
        }
    }

    /// SHA3-256 of the ASCII lower-case hex of the 65-byte uncompressed key.
    static func id(ofUncompressed key: [UInt8]) -> ID {
        key.withUnsafeBytes { id(ofUncompressed: $0) }
    }

    /// The same, from a buffer, with the hex digits in a stack buffer.
    static func id(ofUncompressed key: UnsafeRawBufferPointer) -> ID {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: key.count * 2) { hex in
            var i = 0
            for b in key {
                hex[i] = Hex.digit(b >> 4)
                hex[i + 1] = Hex.digit(b & 0x0f)
                i += 2
            }
            var hasher = SHA3.Hasher()
            hasher.update(UnsafeRawBufferPointer(hex))
            return hasher.finish()
        }
    }
}

/// Remembers the id of the last key recovered on one connection. A device signs all its
/// requests with one key, so the server hashes that key once instead of on every request
/// (the hex and SHA3-256 of the id cost about 2% of a request). Comparing the 65 key bytes
/// is exact: the cached id is used only for the very key it was computed from.
public struct SignerCache: Sendable {
    private var key: [UInt8] = []
    private var id = ID.zero

    public init() {}

    mutating func id(ofUncompressed key: UnsafeRawBufferPointer) -> ID {
        if self.key.count == key.count, self.key.withUnsafeBytes({ $0.elementsEqual(key) }) {
            return id
        }
        id = PublicKey.id(ofUncompressed: key)
        self.key = Array(key)
        return id
    }
}
