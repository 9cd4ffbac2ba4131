import Client
import Foundation
import Server
import Wire
import XCTest

/// Hostile clients against a real server on loopback, each while an honest runtime keeps
/// working (spec/PROTOCOL.md section 6; README "Hostile clients"). Every test ends with
/// `AbuseHarness.finish`: the honest client was answered throughout, resident memory stayed
/// within its bound, and the store is consistent after the server stops.
final class AbuseTests: XCTestCase {
    func testTwoThousandSilentConnectionsLeaveAnHonestClientServed() throws {
        let silentCount = 2000
        // Each connection costs a descriptor here and one in the in-process server.
        guard DescriptorLimit.raise(to: 2 * silentCount + 512) else {
            throw XCTSkip("the descriptor limit cannot be raised to hold \(silentCount) pairs")
        }
        let harness = try AbuseHarness()

        var silent: [RawConnection] = []
        silent.reserveCapacity(silentCount)
        for _ in 0..<silentCount {
            silent.append(try RawConnection(port: harness.port))
        }
        XCTAssertGreaterThanOrEqual(harness.counters.connectionsOpen, silentCount)
        harness.expectHonestAnswers(during: "\(silentCount) silent connections")

        silent.removeAll()
        XCTAssertTrue(pollUntil { harness.counters.connectionsOpen <= 1 })
        try harness.finish()
    }

    func testConnectionsSendingOneByteASecondAreClosedByTheReadTimeout() throws {
        let harness = try AbuseHarness { $0.readTimeout = 1_000_000_000 }
        let slow = try (0..<20).map { _ in try RawConnection(port: harness.port) }
        let ping = RawFrames.request(
            .ping, requestId: 1, sequence: 0, key: nil, challenge: slow[0].hello.challenge)

        // One byte a second, never the whole frame; a write may fail once closed.
        var sent = 0
        while harness.counters.connectionsTimedOut < slow.count && sent < ping.count - 1 {
            for connection in slow {
                try? connection.write([ping[sent]])
            }
            sent += 1
            if sent == 2 {
                harness.expectHonestAnswers(during: "the slow frames")
            }
            Thread.sleep(forTimeInterval: 1)
        }

        XCTAssertLessThan(sent, ping.count - 1, "the read timeout never closed them")
        XCTAssertGreaterThanOrEqual(harness.counters.connectionsTimedOut, slow.count)
        for (index, connection) in slow.enumerated() {
            XCTAssertTrue(try connection.isClosedByServer(), "slow connection \(index)")
        }
        try harness.finish()
    }

    func testLengthPrefixesClaimingGibibytesGetFrameTooLargeAndAClose() throws {
        let harness = try AbuseHarness()
        let claims: [UInt32] = [0xffff_ffff, 0x8000_0000, UInt32(Limits.maxFrameBytes) + 1]

        for round in 0..<300 {
            let claim = claims[round % claims.count]
            let connection = try RawConnection(port: harness.port)
            // The prefix and the start of a header, as a client that means it would send.
            try connection.write(bigEndianBytes(claim) + [1, 0x02, 0])

            let refused = try connection.readError()
            XCTAssertEqual(refused.code, .frameTooLarge, "claim \(claim)")
            XCTAssertEqual(refused.requestId, 0, "claim \(claim)")
            XCTAssertTrue(try connection.isClosedByServer(), "claim \(claim)")
            if round == 150 {
                harness.expectHonestAnswers(during: "oversized claims")
            }
        }
        try harness.finish()
    }

    func testAClientThatNeverReadsIsPausedAtTheWatermarkAndItsUnsentBytesStayBounded() throws {
        let harness = try AbuseHarness()
        let large = try submitLargeProcess(harness)
        var stubborn: NonReadingClient? = try NonReadingClient(port: harness.port)

        // Each getProcess answer is about 240 KiB, so a few pass the watermark; the pings
        // behind them keep the pressure on until the socket takes no more.
        let flood = try XCTUnwrap(stubborn).flood(
            reading: large, signedBy: harness.runtime, maxBytes: 64 << 20)
        harness.expectHonestAnswers(during: "a client that never reads")

        let counters = harness.counters
        let maxUnsent = ReactorConfiguration().maxUnsentBytes
        print("abuse: the non-reader \(flood); peak unsent \(counters.peakUnsentBytes) bytes")
        XCTAssertNotEqual(flood, .neverStalled, "the server kept reading 64 MiB unanswered")
        XCTAssertGreaterThanOrEqual(counters.readPauses, 1)
        XCTAssertGreaterThan(counters.peakUnsentBytes, ReactorConfiguration().highWatermark)
        XCTAssertLessThanOrEqual(counters.peakUnsentBytes, maxUnsent)

        // Once it hangs up, what was queued for it is released.
        stubborn = nil
        XCTAssertTrue(pollUntil {
            harness.counters.connectionsOpen <= 1 && harness.counters.unsentBytes < 64 << 10
        })
        try harness.finish()
    }

    func testGarbageAfterTheHelloGetsAnErrorAndACloseWhileOthersAreServed() throws {
        let given = ProcessInfo.processInfo.environment["COLONIES_TEST_SEED"].flatMap(UInt64.init)
        let seed = given ?? UInt64.random(in: 0...UInt64.max)
        print("AbuseTests garbage: seed \(seed) (re-run with COLONIES_TEST_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let harness = try AbuseHarness()
        let bystander = try RawConnection(port: harness.port)

        for round in 0..<200 {
            let (garbage, expected) = GarbageSample.make(round, using: &random)
            let connection = try RawConnection(port: harness.port)
            try connection.write(garbage)

            let refused = try connection.readError()
            XCTAssertEqual(refused.code, expected, "seed \(seed), round \(round)")
            XCTAssertEqual(refused.requestId, 0, "seed \(seed), round \(round)")
            XCTAssertTrue(try connection.isClosedByServer(), "seed \(seed), round \(round)")

            let requestId = UInt32(round + 1)
            try bystander.write(RawFrames.request(
                .ping, requestId: requestId, sequence: 0, key: nil,
                challenge: bystander.hello.challenge))
            let pong = try XCTUnwrap(try bystander.readFrame(), "seed \(seed), round \(round)")
            XCTAssertEqual(pong.typeByte, MessageType.ping.replyByte)
            XCTAssertEqual(pong.requestId, requestId)
            if round == 100 {
                harness.expectHonestAnswers(during: "garbage")
            }
        }
        try harness.finish()
    }

    func testTwentyConnectionsFloodingBadSignaturesAreEachClosedAfterSixteen() throws {
        let harness = try AbuseHarness()
        for wave in 0..<5 {
            try floodBadSignatures(harness, wave: wave)
        }
        try harness.finish()
    }

    // MARK: Helpers

    /// Twenty connections each send 16 badly signed frames at once, then each must get 16
    /// bad-signature errors and a close.
    private func floodBadSignatures(_ harness: AbuseHarness, wave: Int) throws {
        let connections = try (0..<20).map { _ in try RawConnection(port: harness.port) }
        // RequestHandler.maxAuthenticationFailures.
        let failures = 16
        let owner = harness.server.ownerKey

        // All frames go out before any answer is read, from every connection at once;
        // each connection is written by one thread only.
        let bursts = connections.map { connection in
            (1...failures).flatMap { attempt in
                Self.badlySigned(
                    attempt: attempt, key: owner, challenge: connection.hello.challenge)
            }
        }
        let shared = UncheckedTransfer(connections)
        let writeFailures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: connections.count) { index in
            do {
                try shared.value[index].write(bursts[index])
            } catch {
                writeFailures.withLock { $0.append("connection \(index): \(error)") }
            }
        }
        XCTAssertEqual(writeFailures.withLock { $0 }, [], "wave \(wave)")
        if wave == 2 {
            harness.expectHonestAnswers(during: "the bad-signature flood")
        }

        for (index, connection) in connections.enumerated() {
            let name = "wave \(wave), connection \(index)"
            for attempt in 1...failures {
                let refused = try connection.readError()
                XCTAssertEqual(refused.code, .badSignature, "\(name) #\(attempt)")
                XCTAssertEqual(refused.requestId, UInt32(attempt), name)
            }
            XCTAssertTrue(try connection.isClosedByServer(), name)
        }
    }

    /// A waiting process whose args take about 240 KiB, of a runtime type the honest
    /// runtime does not match, so it stays put.
    private func submitLargeProcess(_ harness: AbuseHarness) throws -> ID {
        var spec = echoSpec(colony: harness.colony.id, type: "archive")
        let arg = String(repeating: "x", count: 4000)
        spec.args = WireList(Array(repeating: Text(arg), count: 60))
        return try harness.server.client().submit(spec, runtimeKey: harness.runtime).id
    }

    /// A signed listColonies whose signature is refused before any key recovery: odd
    /// attempts carry a recovery id of 7, even ones an r of zero.
    private static func badlySigned(attempt: Int, key: PrivateKey, challenge: ID) -> [UInt8] {
        var frame = RawFrames.request(
            .listColonies, requestId: UInt32(attempt), sequence: UInt64(attempt), key: key,
            challenge: challenge)
        let signatureStart = frame.count - 65
        if attempt % 2 == 1 {
            frame[frame.count - 1] = 7
        } else {
            for index in signatureStart..<signatureStart + 32 { frame[index] = 0 }
        }
        return frame
    }

    private func bigEndianBytes(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
