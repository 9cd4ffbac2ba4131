import AllocCounter
import Wire
import XCTest

/// Decoding a request on the server's hot path must not touch the heap: the frame parser and
/// the message decoders return views of the received bytes. Signature recovery is left out
/// (libcrypto allocates a digest context per hash).
///
/// Allocations are counted by Tests/AllocCounter, which replaces malloc and its relatives in
/// the test binary. Run in an optimized build:
///
///     swift test -c release --filter DecodeAllocationTests
///
/// In a debug build the standard library's generic code runs unspecialized (for example
/// `Collection.first` on a slice) and boxes temporaries on the heap, so the count there says
/// nothing about the code; the test then only checks that the counter works.
final class DecodeAllocationTests: XCTestCase {
    /// Allocations made by `body` on this thread.
    private func allocations(_ body: () -> Void) -> Int {
        alloc_counter_begin()
        body()
        return alloc_counter_end()
    }

    override func setUpWithError() throws {
        if alloc_counter_available() == 0 {
            throw XCTSkip("allocations are not counted in a sanitizer build")
        }
    }

    func testTheCounterSeesAnArrayBeingAllocated() {
        var kept: [[UInt8]] = []
        kept.reserveCapacity(4)
        let seen = allocations {
            kept.append([UInt8](repeating: 7, count: 100))
        }
        XCTAssertGreaterThanOrEqual(
            seen, 1, "the counter must count, or the test below proves nothing")
        XCTAssertEqual(kept.count, 1)
    }

    func testParsingAndDecodingASignedSubmitProcessAllocatesNothing() throws {
        #if DEBUG
            throw XCTSkip("allocation counts need an optimized build: swift test -c release")
        #else
            var encoder = FrameEncoder()
            let frame = encoder.request(
                .submitProcess(Fixtures.submittedSpec), requestId: 7, key: Fixtures.runtimeKey,
                challenge: Fixtures.challenge, sequence: 7)
            let body = frame.dropFirst(FrameLayout.prefixSize)

            // The first pass fills lazily made runtime metadata and globals; it is not measured.
            var total = try decodeAndTouch(body)
            XCTAssertGreaterThan(total, 0)
            var failure: WireError?
            let seen = allocations {
                for _ in 0..<100 {
                    do throws(WireError) {
                        total &+= try decodeAndTouch(body)
                    } catch {
                        failure = error
                    }
                }
            }
            XCTAssertNil(failure)
            XCTAssertEqual(seen, 0, "parse + decode allocated \(seen) times in 100 rounds")
        #endif
    }

    /// Parses and decodes, then reads every argument, variable and runtime id, so the lazy
    /// list views are walked too.
    private func decodeAndTouch(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Int {
        let frame = try FrameParser.parse(bytes)
        guard let type = frame.messageType else { throw WireError(.unknownMessageType) }
        guard case .submitProcess(let spec) = try Request.decode(type: type, body: frame.body)
        else { throw WireError(.badEnum) }
        var total = spec.function.byteCount
        for arg in spec.args { total += arg.byteCount }
        for v in spec.env { total += v.key.byteCount + v.value.byteCount }
        for id in spec.conditions.runtimeIds { total += Int(id.prefix64 & 1) }
        return total
    }
}
