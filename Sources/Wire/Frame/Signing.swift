/// What a signature covers.
///
/// The digest is SHA3-256 over, in order: the 19 ASCII bytes `colonies/request/v1`, the
/// connection's 32-byte challenge (from the server's hello), the version byte, the type
/// byte, the request id (u32), the sequence number (u64) and the body. Every part before
/// the body has a fixed size, so no two frames share a digest unless they are equal;
/// the challenge ties the frame to one connection and the sequence to one moment in it.
public enum Signing {
    public static let domain: [UInt8] = Array("colonies/request/v1".utf8)

    public static func digest(
        challenge: ID, version: UInt8 = FrameLayout.version, type: UInt8, requestId: UInt32,
        sequence: UInt64, body: ArraySlice<UInt8>
    ) -> ID {
        var hasher = SHA3.Hasher()
        hasher.update(contiguous: domain)
        hasher.update(challenge)
        // 14 header bytes on the stack: signing digests are made for every request.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 14) { h in
            h[0] = version
            h[1] = type
            for k in 0..<4 { h[2 + k] = UInt8(truncatingIfNeeded: requestId >> (24 - 8 * k)) }
            for k in 0..<8 { h[6 + k] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * k)) }
            hasher.update(UnsafeRawBufferPointer(h))
        }
        hasher.update(contiguous: body)
        return hasher.finish()
    }
}
