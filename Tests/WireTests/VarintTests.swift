import Wire
import XCTest

/// Lengths and counts are unsigned LEB128 in their shortest form, and nothing else.
final class VarintTests: XCTestCase {
    private func encode(_ v: Int) -> String {
        var w = WireWriter()
        w.varint(v)
        return Hex.encode(w.bytes)
    }

    private func decode(_ hex: String, max: Int = .max) throws(WireError) -> Int {
        var r = WireReader(Hex.decode(hex)!)
        let v = try r.varint(max: max)
        try r.finish()
        return v
    }

    private func code(_ hex: String, max: Int = .max) -> ErrorCode? {
        do {
            _ = try decode(hex, max: max)
            return nil
        } catch {
            return error.code
        }
    }

    func testEdgeValuesHaveTheirShortestEncodingAndDecodeBack() throws {
        let cases: [(Int, String)] = [
            (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (255, "ff01"), (300, "ac02"),
            (16383, "ff7f"), (16384, "808001"), (2_097_151, "ffff7f"), (2_097_152, "80808001"),
            (1 << 20, "808040"), (Int.max, "ffffffffffffffff7f"),
        ]
        for (value, hex) in cases {
            XCTAssertEqual(encode(value), hex, "\(value)")
            XCTAssertEqual(try decode(hex), value, hex)
        }
    }

    func testALongerFormOfANumberIsNotCanonical() {
        for hex in ["8000", "ff00", "808000", "8180808000", "ffffffffffffffff00"] {
            XCTAssertEqual(code(hex), .nonCanonicalInteger, hex)
        }
    }

    func testAValueAboveTheFieldsMaximumIsRefused() {
        XCTAssertNil(code("7f", max: 127))
        XCTAssertEqual(code("8001", max: 127), .limitExceeded)
        XCTAssertNil(code("e807", max: 1000))
        XCTAssertEqual(code("e907", max: 1000), .limitExceeded)
    }

    func testTenBytesAreTooManyForAnyLength() {
        XCTAssertEqual(code("80808080808080808001"), .limitExceeded)
        XCTAssertEqual(code("ffffffffffffffffff7f"), .limitExceeded)
    }

    func testAVarintCutShortIsTruncated() {
        XCTAssertEqual(code(""), .truncated)
        XCTAssertEqual(code("80"), .truncated)
        XCTAssertEqual(code("ffff"), .truncated)
    }

    func testRandomValuesRoundTripInTheFewestBytes() throws {
        var rng = SeededGenerator.forTest("varint")
        for _ in 0..<2000 {
            let bits = Int.random(in: 0...63, using: &rng)
            let value = bits == 0 ? 0 : Int.random(in: 0...(Int.max >> (63 - bits)), using: &rng)
            let hex = encode(value)
            let significant = max(1, Int.bitWidth - value.leadingZeroBitCount)
            XCTAssertEqual(hex.count / 2, (significant + 6) / 7, "\(value)")
            XCTAssertEqual(try decode(hex), value, hex)
        }
    }
}
