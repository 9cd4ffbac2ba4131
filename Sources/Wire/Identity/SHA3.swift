import CLibCrypto

/// SHA3-256 (FIPS 202) from libcrypto.
public enum SHA3 {
    // Fetched once: an implicit fetch on every call costs more than hashing a short frame.
    // The EVP_MD object is immutable and libcrypto allows sharing it between threads.
    // The system's openssl.cnf is not read: a hash needs nothing from it, and reading it
    // set up modules that kept 0.6 MB of a small server resident.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = {
        _ = OPENSSL_init_crypto(
            UInt64(OPENSSL_INIT_NO_LOAD_CONFIG) | UInt64(OPENSSL_INIT_NO_ATEXIT), nil)
        return EVP_MD_fetch(nil, "SHA3-256", nil)
    }()

    /// A running hash, for digests built from several parts without joining them first.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        /// Starts a new SHA3-256 hash.
        public init() {
            guard let ctx = EVP_MD_CTX_new(), let md = SHA3.algorithm,
                EVP_DigestInit_ex2(ctx, md, nil) == 1
            else { preconditionFailure("libcrypto has no SHA3-256 (OpenSSL 3 is required)") }
            context = ctx
        }

        deinit { EVP_MD_CTX_free(context) }

        /// Adds bytes to the hash.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            _ = EVP_DigestUpdate(context, base, bytes.count)
        }

        /// Adds the bytes of an array, slice or other contiguous collection.
        public mutating func update<C: Collection>(contiguous bytes: C) where C.Element == UInt8 {
            let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                update(UnsafeRawBufferPointer(buffer))
            }
            if done == nil {
                let copy = Array(bytes)
                copy.withUnsafeBytes { update($0) }
            }
        }

        /// Adds the 32 bytes of an id.
        public mutating func update(_ id: ID) {
            id.withBytes { update($0) }
        }

        /// Finishes the hash and returns the digest.
        public consuming func finish() -> ID {
            // A stack buffer: digests are made for every frame and must not allocate.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { out in
                var length: UInt32 = 0
                _ = EVP_DigestFinal_ex(context, out.baseAddress, &length)
                return ID(UnsafeRawBufferPointer(out))
            }
        }
    }

    /// The SHA3-256 digest of `bytes`.
    public static func digest<C: Collection>(_ bytes: C) -> ID where C.Element == UInt8 {
        var hasher = Hasher()
        hasher.update(contiguous: bytes)
        return hasher.finish()
    }
}
