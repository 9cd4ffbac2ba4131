import Wire
import XCTest

/// The codec's own UTF-8 check (it allocates nothing) must agree with Swift's decoder on
/// every input: the same bytes are valid text in every implementation or in none.
final class UTF8ValidationTests: XCTestCase {
    /// Whether the codec reads `bytes` as a text field.
    private func codecAccepts(_ bytes: [UInt8]) -> Bool {
        var w = WireWriter()
        w.lengthPrefixed(bytes)
        var r = WireReader(w.bytes)
        do {
            _ = try r.text(max: bytes.count)
            return true
        } catch {
            XCTAssertEqual(error.code, .invalidUTF8)
            return false
        }
    }

    private func swiftAccepts(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    func testKnownEdgeSequences() {
        let cases: [(String, Bool)] = [
            ("", true), ("7f", true), ("80", false), ("c280", true), ("c1bf", false),
            ("c0af", false), ("dfbf", true), ("e0a080", true), ("e09fbf", false),
            ("ed9fbf", true), ("eda080", false), ("edbfbf", false), ("efbfbf", true),
            ("f0908080", true), ("f08fbfbf", false), ("f48fbfbf", true), ("f4908080", false),
            ("f5808080", false), ("ff", false), ("e282", false), ("e282ac", true),
            ("f09f9880", true), ("f09f98", false), ("c2", false), ("41c241", false),
        ]
        for (hex, valid) in cases {
            let bytes = Hex.decode(hex)!
            XCTAssertEqual(codecAccepts(bytes), valid, hex)
            XCTAssertEqual(swiftAccepts(bytes), valid, "Swift agrees on \(hex)")
        }
    }

    func testEveryOneAndTwoByteSequenceAgreesWithSwift() {
        for a in 0...255 {
            XCTAssertEqual(codecAccepts([UInt8(a)]), swiftAccepts([UInt8(a)]), "\(a)")
            for b in 0...255 {
                let bytes = [UInt8(a), UInt8(b)]
                if codecAccepts(bytes) != swiftAccepts(bytes) {
                    XCTFail("disagree on \(Hex.encode(bytes))")
                }
            }
        }
    }

    func testRandomBytesAgreeWithSwift() {
        var rng = SeededGenerator.forTest("utf8")
        let valid = Array("a é 日本 😀 ok".utf8)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8]
            if Bool.random(using: &rng) {
                // Pure noise, biased to the bytes that start and continue sequences.
                bytes = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                    Bool.random(using: &rng)
                        ? UInt8.random(in: 0x80...0xff, using: &rng)
                        : UInt8.random(in: 0...0xff, using: &rng)
                }
            } else {
                // Valid text with one byte changed, dropped or added.
                bytes = valid
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0x80...0xff, using: &rng), at: i)
                }
            }
            let swift = swiftAccepts(bytes)
            if swift { accepted += 1 }
            XCTAssertEqual(codecAccepts(bytes), swift, Hex.encode(bytes))
        }
        XCTAssertGreaterThan(accepted, 100, "the inputs must include valid text as well")
    }
}
