import Wire

/// Bytes a confused or hostile peer might send right after the hello, each breaking the
/// frame itself (steps 1 and 2 of spec/PROTOCOL.md section 6), with the error the server
/// must answer before it hangs up. Each sample is small enough to arrive in one read, so
/// the server has consumed all of it when it closes and the client sees a clean close.
enum GarbageSample {
    /// Sample `round` of the five kinds, its random bytes drawn from `random`.
    static func make(
        _ round: Int, using random: inout SplitMix64
    ) -> (bytes: [UInt8], expected: ErrorCode) {
        switch round % 5 {
        case 0:
            // "GET " read as a length is about 1.2 GB.
            return (Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), .frameTooLarge)
        case 1:
            // A TLS record header: 0x16030102 is about 370 MB.
            return ([0x16, 0x03, 0x01, 0x02, 0x00] + noise(200, &random), .frameTooLarge)
        case 2:
            var body = noise(Int.random(in: 7...300, using: &random), &random)
            body[0] = UInt8.random(in: 2...255, using: &random)
            return (prefixed(body), .unsupportedVersion)
        case 3:
            var body = noise(Int.random(in: 7...300, using: &random), &random)
            body[0] = FrameLayout.version
            body[2] = UInt8.random(in: 2...255, using: &random)
            return (prefixed(body), .badFlags)
        default:
            // A length below the 7 bytes of a header.
            return (prefixed(noise(Int.random(in: 0...6, using: &random), &random)), .truncated)
        }
    }

    private static func noise(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    private static func prefixed(_ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + body
    }
}
