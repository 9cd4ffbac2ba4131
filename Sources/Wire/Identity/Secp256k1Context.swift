import CSecp256k1
import CSodium

/// The one libsecp256k1 context of the process. Functions that take it as `const` may
/// share it between threads; it is randomized once at start against side channels.
enum Secp256k1 {
    nonisolated(unsafe) static let context: OpaquePointer = {
        let flags = UInt32(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY)
        guard let ctx = secp256k1_context_create(flags) else {
            preconditionFailure("secp256k1_context_create failed")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        Random.fill(&seed)
        _ = secp256k1_context_randomize(ctx, seed)
        return ctx
    }()
}

/// Cryptographic randomness from libsodium.
public enum Random {
    /// Fills `bytes` with random bytes.
    public static func fill(_ bytes: inout [UInt8]) {
        Sodium.ensureInitialized()
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
    }

    /// A random 32-byte id.
    public static func id() -> ID {
        Sodium.ensureInitialized()
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { raw in
            randombytes_buf(raw.baseAddress!, 32)
            return ID(UnsafeRawBufferPointer(raw))
        }
    }
}

extension Random {
    /// A 32-byte id whose first 8 bytes are `time` (big-endian, so ids sort by it) and
    /// whose other 24 are random: as unguessable as anyone needs (192 bits), yet made at
    /// about the same time means stored near each other, where a fully random id would put
    /// every new record on a different page of the store.
    public static func id(leadingTime time: Int64) -> ID {
        Sodium.ensureInitialized()
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { raw in
            let prefix = UInt64(bitPattern: time).bigEndian
            raw.storeBytes(of: prefix, toByteOffset: 0, as: UInt64.self)
            randombytes_buf(raw.baseAddress! + 8, 24)
            return ID(UnsafeRawBufferPointer(raw))
        }
    }
}

/// libsodium must be initialised once before use; `sodium_init` may be called again safely.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(initialised, "sodium_init failed")
    }

    /// Overwrites memory with zeros in a way the optimiser may not remove.
    static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress else { return }
        sodium_memzero(base, raw.count)
    }
}
