import Client
import Wire
import XCTest

/// Frames a well-behaved client never sends, over raw sockets: replays, foreign frames,
/// garbage and broken headers (spec/PROTOCOL.md, sections 5 and 6).
final class ProtocolAbuseTests: XCTestCase {
    private var server: TestServer!
    private var owner: PrivateKey { server.ownerKey }

    override func setUpWithError() throws {
        server = try TestServer()
    }

    override func tearDown() {
        server = nil
    }

    /// A signed listColonies, which the server owner may send, for `connection`.
    private func listColonies(
        on connection: RawConnection, requestId: UInt32, sequence: UInt64
    ) -> [UInt8] {
        RawFrames.request(
            .listColonies, requestId: requestId, sequence: sequence, key: owner,
            challenge: connection.hello.challenge)
    }

    /// Reads the next frame and checks it is the reply to listColonies `requestId`.
    private func expectListReply(
        _ connection: RawConnection, requestId: UInt32,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let frame = try XCTUnwrap(try connection.readFrame(), "closed", file: file, line: line)
        XCTAssertEqual(
            frame.typeByte, MessageType.listColonies.replyByte, "not a reply",
            file: file, line: line)
        XCTAssertEqual(frame.requestId, requestId, file: file, line: line)
    }

    func testAReplayedFrameOnTheSameConnectionIsRefusedAsStale() throws {
        let connection = try RawConnection(port: server.port)
        let frame = listColonies(on: connection, requestId: 7, sequence: 1)

        try connection.write(frame)
        try expectListReply(connection, requestId: 7)
        try connection.write(frame)
        let refused = try connection.readError()

        XCTAssertEqual(refused.requestId, 7)
        XCTAssertEqual(refused.code, .staleSequence)
        try connection.write(listColonies(on: connection, requestId: 8, sequence: 2))
        try expectListReply(connection, requestId: 8)
    }

    func testAFrameCapturedOnOneConnectionIsRefusedOnAnotherAsAnUnknownIdentity() throws {
        let first = try RawConnection(port: server.port)
        let second = try RawConnection(port: server.port)
        XCTAssertNotEqual(first.hello.challenge, second.hello.challenge)
        let captured = listColonies(on: first, requestId: 3, sequence: 1)

        try second.write(captured)
        let refused = try second.readError()

        XCTAssertEqual(refused.requestId, 3)
        XCTAssertEqual(refused.code, .unknownIdentity)
        // The same bytes are still good where they were signed.
        try first.write(captured)
        try expectListReply(first, requestId: 3)
    }

    func testASequenceBelowOrEqualToTheLastAcceptedIsRefused() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write(listColonies(on: connection, requestId: 1, sequence: 5))
        try expectListReply(connection, requestId: 1)

        for (requestId, sequence) in [(2, 3), (3, 5), (4, 1)] as [(UInt32, UInt64)] {
            try connection.write(
                listColonies(on: connection, requestId: requestId, sequence: sequence))
            let refused = try connection.readError()
            XCTAssertEqual(refused.requestId, requestId, "sequence \(sequence)")
            XCTAssertEqual(refused.code, .staleSequence, "sequence \(sequence)")
        }

        // Gaps are fine.
        try connection.write(listColonies(on: connection, requestId: 5, sequence: 100))
        try expectListReply(connection, requestId: 5)
    }

    func testAGarbageBodyGetsItsCodeAndSpendsNoSequenceSoTheConnectionKeepsWorking() throws {
        let connection = try RawConnection(port: server.port)
        let colony = Array(repeating: UInt8(0xab), count: 32)
        let cases: [(String, MessageType, [UInt8], ErrorCode)] = [
            ("an id cut short", .getColony, [1, 2, 3], .truncated),
            ("a byte after the id", .getColony, colony + [0], .trailingBytes),
            ("an unlisted state", .listProcesses, colony + [9, 0, 1], .badEnum),
            ("a count of 0", .listProcesses, colony + [0, 0, 0], .invalidValue),
            ("a wait above an hour", .assignProcess, colony + [0x0e, 0x11], .invalidValue),
            ("a body on listColonies", .listColonies, [0], .trailingBytes),
            ("a long varint", .addColony, colony + [0x80, 0x00], .nonCanonicalInteger),
            ("a bad UTF-8 name", .addColony, colony + [2, 0xc3, 0x28], .invalidUTF8),
        ]

        for (index, (name, type, body, code)) in cases.enumerated() {
            let sequence = UInt64(index + 1)
            let requestId = UInt32(100 + index)
            try connection.write(
                RawFrames.signed(
                    type: type, requestId: requestId, sequence: sequence, body: body, key: owner,
                    challenge: connection.hello.challenge))
            let refused = try connection.readError()
            XCTAssertEqual(refused.requestId, requestId, name)
            XCTAssertEqual(refused.code, code, name)

            // A refused frame spends nothing: the same sequence is still good.
            try connection.write(
                listColonies(on: connection, requestId: requestId, sequence: sequence))
            try expectListReply(connection, requestId: requestId)
        }
    }

    func testAReplyTypeSentToTheServerIsRefusedAndTheConnectionStaysOpen() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write(
            RawFrames.unsigned(
                type: .listColonies, requestId: 4, body: []).replacingType(with: 0x91))
        let refused = try connection.readError()
        XCTAssertEqual(refused.requestId, 4)
        XCTAssertEqual(refused.code, .unknownMessageType)

        try connection.write(listColonies(on: connection, requestId: 5, sequence: 1))
        try expectListReply(connection, requestId: 5)
    }

    func testAnUnsignedRequestIsRefusedAndTheConnectionStaysOpen() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write(
            RawFrames.unsigned(type: .getColony, requestId: 9, body: owner.id.bytes))
        let refused = try connection.readError()
        XCTAssertEqual(refused.requestId, 9)
        XCTAssertEqual(refused.code, .unsignedRequest)

        try connection.write(RawFrames.request(
            .ping, requestId: 10, sequence: 0, key: nil, challenge: connection.hello.challenge))
        let pong = try XCTUnwrap(try connection.readFrame())
        XCTAssertEqual(pong.typeByte, MessageType.ping.replyByte)
        XCTAssertEqual(pong.requestId, 10)
    }

    func testAFrameOfAnotherVersionGetsAnErrorThenTheConnectionCloses() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write([0, 0, 0, 7, 9, 0x02, 0, 0, 0, 0, 1])

        let refused = try connection.readError()
        XCTAssertEqual(refused.requestId, 0)
        XCTAssertEqual(refused.code, .unsupportedVersion)
        XCTAssertTrue(try connection.isClosedByServer())
    }

    func testAFrameWithAReservedFlagGetsAnErrorThenTheConnectionCloses() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write([0, 0, 0, 7, 1, 0x02, 0x02, 0, 0, 0, 1])

        let refused = try connection.readError()
        XCTAssertEqual(refused.requestId, 0)
        XCTAssertEqual(refused.code, .badFlags)
        XCTAssertTrue(try connection.isClosedByServer())
    }

    func testALengthPrefixOfFourGibibytesGetsFrameTooLargeAndAClose() throws {
        let connection = try RawConnection(port: server.port)
        try connection.write([0xff, 0xff, 0xff, 0xff])

        let refused = try connection.readError()
        XCTAssertEqual(refused.requestId, 0)
        XCTAssertEqual(refused.code, .frameTooLarge)
        XCTAssertTrue(try connection.isClosedByServer())
    }

    func testSixteenBadSignaturesCloseTheConnectionWhileAnHonestClientIsStillAnswered() throws {
        let honest = try server.client()
        let abuser = try RawConnection(port: server.port)

        for attempt in 1...16 {
            var frame = listColonies(on: abuser, requestId: UInt32(attempt),
                                     sequence: UInt64(attempt))
            frame[frame.count - 1] = 7  // a recovery id that is neither 0 nor 1
            try abuser.write(frame)
            let refused = try abuser.readError()
            XCTAssertEqual(refused.code, .badSignature, "attempt \(attempt)")
            XCTAssertEqual(refused.requestId, UInt32(attempt))

            XCTAssertNoThrow(try honest.listColonies(serverKey: owner), "attempt \(attempt)")
            if attempt == 15 {
                // Ping costs no signature check and counts as nothing: still open.
                try abuser.write(RawFrames.request(
                    .ping, requestId: 99, sequence: 0, key: nil,
                    challenge: abuser.hello.challenge))
                XCTAssertEqual(try abuser.readFrame()?.typeByte, MessageType.ping.replyByte)
            }
        }

        XCTAssertTrue(try abuser.isClosedByServer())
        XCTAssertEqual(try honest.ping().serverId, owner.id)
    }
}

extension Array where Element == UInt8 {
    /// The frame with its type byte (after the 4-byte length and the version) replaced.
    func replacingType(with type: UInt8) -> [UInt8] {
        var copy = self
        copy[5] = type
        return copy
    }
}
