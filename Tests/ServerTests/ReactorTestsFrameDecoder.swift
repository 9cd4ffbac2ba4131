import XCTest

@testable import Server

final class ReactorTestsFrameDecoder: XCTestCase {
    private let limit = 1 << 20

    /// Feeds `chunks` in order, collecting delivered payloads.
    private func decode(
        _ chunks: [[UInt8]], decoder: inout FrameDecoder
    ) -> (frames: [[UInt8]], outcomes: [FrameDecoder.Outcome]) {
        var frames: [[UInt8]] = []
        var outcomes: [FrameDecoder.Outcome] = []
        for chunk in chunks {
            outcomes.append(decoder.feed(chunk[...], maxLength: limit) { frame in
                frames.append(Array(frame))
                return true
            })
        }
        return (frames, outcomes)
    }

    func testFramesFedOneByteAtATimeAreDeliveredWhole() {
        let stream = framed([1, 2, 3]) + framed([]) + framed(Array(repeating: 7, count: 300))
        var decoder = FrameDecoder()

        let result = decode(stream.map { [$0] }, decoder: &decoder)

        XCTAssertEqual(result.frames, [[1, 2, 3], [], Array(repeating: 7, count: 300)])
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testSeveralFramesInOneChunkAreSlicesOfThatChunk() {
        let chunk = framed([1]) + framed([2, 2]) + framed([3, 3, 3])
        var decoder = FrameDecoder()
        var sharedStorage = true

        let chunkBase = chunk.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        var count = 0
        _ = decoder.feed(chunk[...], maxLength: limit) { frame in
            count += 1
            let base = frame.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            sharedStorage = sharedStorage && base >= chunkBase && base < chunkBase + 20
            return true
        }

        XCTAssertEqual(count, 3)
        XCTAssertTrue(sharedStorage, "frames should view the chunk, not copies of it")
    }

    func testALengthOverTheLimitIsReportedAsOversized() {
        var decoder = FrameDecoder()
        let prefix: [UInt8] = [0x00, 0x10, 0x00, 0x01]

        let outcome = decoder.feed(prefix[...], maxLength: limit) { _ in
            XCTFail("nothing should be delivered")
            return true
        }

        XCTAssertEqual(outcome, .oversized(length: limit + 1))
    }

    func testAnOversizedPrefixSplitAcrossChunksIsStillCaught() {
        var decoder = FrameDecoder()

        let result = decode([[0xFF], [0xFF, 0xFF], [0xFF, 9]], decoder: &decoder)

        XCTAssertEqual(result.frames, [])
        XCTAssertEqual(result.outcomes.last, .oversized(length: 0xFFFF_FFFF))
    }

    func testDeliveryStopsWhenAskedAndResumesWithTheHeldBackFrames() {
        let chunk = framed([1]) + framed([2]) + framed([3]) + [0, 0]
        var decoder = FrameDecoder()
        var frames: [[UInt8]] = []

        let first = decoder.feed(chunk[...], maxLength: limit) { frame in
            frames.append(Array(frame))
            return false
        }
        XCTAssertEqual(first, .stopped)
        XCTAssertEqual(frames, [[1]])

        let second = decoder.feed([0, 1, 4][...], maxLength: limit) { frame in
            frames.append(Array(frame))
            return true
        }
        XCTAssertEqual(second, .drained)
        XCTAssertEqual(frames, [[1], [2], [3], [4]])
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testTheStashIsReleasedAfterALargeFrameCompletes() {
        let big = [UInt8](repeating: 5, count: 200_000)
        let stream = framed(big)
        var decoder = FrameDecoder()

        let chunks = stride(from: 0, to: stream.count, by: 65_536).map {
            Array(stream[$0..<min($0 + 65_536, stream.count)])
        }
        let result = decode(chunks, decoder: &decoder)

        XCTAssertEqual(result.frames.count, 1)
        XCTAssertEqual(result.frames.first?.count, big.count)
        XCTAssertEqual(decoder.stashCapacity, 0)
    }

    func testRandomSplitsOfAStreamYieldTheSameFrames() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ReactorTestsFrameDecoder random split seed: \(seed)")
        var random = SplitMix64(seed: seed)

        var payloads: [[UInt8]] = []
        for _ in 0..<200 {
            let length = Int(random.next() % 600)
            payloads.append((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        let stream = payloads.flatMap(framed)

        for _ in 0..<20 {
            var chunks: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                let size = 1 + Int(random.next() % 2_000)
                chunks.append(Array(stream[offset..<min(offset + size, stream.count)]))
                offset += size
            }
            var decoder = FrameDecoder()
            let result = decode(chunks, decoder: &decoder)
            XCTAssertEqual(result.frames, payloads, "seed \(seed)")
        }
    }
}

/// A small deterministic generator, so a failing random test can be replayed by seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
