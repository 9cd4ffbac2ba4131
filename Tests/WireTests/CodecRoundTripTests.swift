import Wire
import XCTest

/// Random valid values of every message survive encode, decode and encode again unchanged:
/// decoding accepts what encoding writes, and encoding writes the one form decoding accepts.
final class CodecRoundTripTests: XCTestCase {
    private let rounds = 200

    private func roundTrip<T: WireCodable & Equatable>(
        _ name: String, _ make: (inout RandomMessages) -> T
    ) throws {
        var random = RandomMessages(rng: .forTest("\(T.self) round trip"))
        for round in 0..<rounds {
            let value = make(&random)
            let bytes = value.encoded
            let decoded: T
            do {
                decoded = try T.decode(exactly: bytes)
            } catch {
                XCTFail("\(name) round \(round): \(error) decoding \(Hex.encode(bytes.prefix(64)))")
                return
            }
            XCTAssertEqual(decoded, value, "\(name) round \(round)")
            XCTAssertEqual(decoded.encoded, bytes, "\(name) round \(round) re-encodes exactly")
        }
    }

    func testColoniesRoundTrip() throws { try roundTrip("colony") { $0.colony() } }
    func testRuntimesRoundTrip() throws { try roundTrip("runtime") { $0.runtime() } }
    func testConditionsRoundTrip() throws { try roundTrip("conditions") { $0.conditions() } }
    func testProcessSpecsRoundTrip() throws { try roundTrip("spec") { $0.spec() } }
    func testProcessesRoundTrip() throws { try roundTrip("process") { $0.process() } }
    func testAttributesRoundTrip() throws { try roundTrip("attribute") { $0.attribute() } }
    func testNewAttributesRoundTrip() throws {
        try roundTrip("new attribute") { $0.newAttribute() }
    }
    func testStatisticsRoundTrip() throws { try roundTrip("statistics") { $0.statistics() } }
    func testHellosRoundTrip() throws { try roundTrip("hello") { $0.hello() } }
    func testPongsRoundTrip() throws { try roundTrip("pong") { $0.pong() } }
    func testErrorBodiesRoundTrip() throws { try roundTrip("error") { $0.errorBody() } }

    func testSignedRequestsRoundTripThroughTheVerifier() throws {
        var random = RandomMessages(rng: .forTest("request round trip"))
        let key = Fixtures.runtimeKey
        let challenge = random.id()
        var verifier = RequestVerifier(challenge: challenge)
        var encoder = FrameEncoder()
        var sequence: UInt64 = 0
        for round in 0..<rounds {
            let request = random.request()
            sequence += random.int(1...1000)
            let requestId: UInt32 = random.any()
            let signed = request.type.needsSignature
            let bytes = encoder.request(
                request, requestId: requestId, key: signed ? key : nil, challenge: challenge,
                sequence: sequence)

            let verified = try verifier.verify(FrameParser.parseWhole(bytes[...]))
            XCTAssertEqual(verified.request, request, "round \(round): \(request.type.name)")
            XCTAssertEqual(verified.requestId, requestId)
            XCTAssertEqual(verified.signer, signed ? key.id : nil)
            XCTAssertEqual(verifier.lastSequence, signed ? sequence : verifier.lastSequence)
        }
    }

    /// One connection may carry requests of several keys: the verifier's cache of the last
    /// signer's id must never name the previous key for the next one.
    func testRequestsOfAlternatingKeysOnOneConnectionRecoverToEachSigner() throws {
        let keys = [Fixtures.runtimeKey, Fixtures.colonyOwnerKey, Fixtures.otherRuntimeKey]
        let challenge = Fixtures.colonyId
        var verifier = RequestVerifier(challenge: challenge)
        var encoder = FrameEncoder()
        for (index, key) in (keys + keys.reversed()).enumerated() {
            let sequence = UInt64(index + 1)
            let bytes = encoder.request(
                .getProcess(processId: key.id), requestId: UInt32(index), key: key,
                challenge: challenge, sequence: sequence)

            let verified = try verifier.verify(FrameParser.parseWhole(bytes[...]))

            XCTAssertEqual(verified.signer, key.id, "request \(index)")
        }
    }

    func testRepliesEventsAndErrorsRoundTripThroughAClientRead() throws {
        var random = RandomMessages(rng: .forTest("reply round trip"))
        var encoder = FrameEncoder()
        for round in 0..<rounds {
            let (type, reply) = random.reply()
            let requestId: UInt32 = random.any()
            let (frame, message) = try ServerMessage.read(
                encoder.reply(reply, to: type, requestId: requestId))
            XCTAssertEqual(frame.requestId, requestId)
            guard case .reply(let to, let decoded) = message else {
                XCTFail("round \(round): not a reply")
                continue
            }
            XCTAssertEqual(to, type)
            XCTAssertEqual(decoded, reply, "round \(round): reply to \(type.name)")
        }

        let process = random.process()
        guard
            case (_, .event(let p)) = try ServerMessage.read(
                encoder.event(process, subscription: 9))
        else { return XCTFail("an event frame must read as an event") }
        XCTAssertEqual(p, process)
    }
}
