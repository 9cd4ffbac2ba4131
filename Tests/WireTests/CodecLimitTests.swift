import Wire
import XCTest

/// Every limit holds exactly at its value and refuses one past it, with the documented code.
final class CodecLimitTests: XCTestCase {
    /// The code decoding `value`'s encoding fails with, or nil when it decodes.
    private func refusal<T: WireCodable>(_ value: T) -> ErrorCode? {
        do {
            _ = try T.decode(exactly: value.encoded)
            return nil
        } catch {
            return error.code
        }
    }

    private func refusal(_ request: Request) -> ErrorCode? {
        var w = WireWriter()
        request.encodeBody(to: &w)
        do {
            _ = try Request.decode(type: request.type, body: w.bytes[...])
            return nil
        } catch {
            return error.code
        }
    }

    private func refusal(_ reply: Reply, to type: MessageType) -> ErrorCode? {
        var w = WireWriter()
        reply.encode(to: &w)
        do {
            _ = try Reply.decode(for: type, body: w.bytes[...])
            return nil
        } catch {
            return error.code
        }
    }

    private func text(_ n: Int, _ c: Character = "a") -> Text {
        Text(String(repeating: c, count: n))
    }

    private var spec: ProcessSpec { Fixtures.submittedSpec }

    func testNamesHoldSixtyFourBytesAndRefuseSixtyFive() {
        XCTAssertNil(refusal(Colony(id: .zero, name: text(64))))
        XCTAssertEqual(refusal(Colony(id: .zero, name: text(65))), .limitExceeded)
        XCTAssertEqual(refusal(Colony(id: .zero, name: "")), .invalidValue)
        var r = Fixtures.newRuntime
        r.type = text(64)
        XCTAssertNil(refusal(r))
        r.type = text(65)
        XCTAssertEqual(refusal(r), .limitExceeded)
    }

    func testEveryNameCharacterIsAcceptedAndEveryOtherByteRefused() {
        for b in UInt8(0x20)...UInt8(0x7e) {
            let allowed =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a)
                || (b >= 0x61 && b <= 0x7a) || b == 0x2e || b == 0x5f || b == 0x2d
            let name = Text(String(UnicodeScalar(b)))
            XCTAssertEqual(
                refusal(Colony(id: .zero, name: name)), allowed ? nil : .invalidValue,
                "byte \(b)")
        }
        XCTAssertEqual(refusal(Colony(id: .zero, name: "é")), .invalidValue)
    }

    func testDescriptionsHold128BytesWithoutControlCharacters() {
        var r = Fixtures.newRuntime
        r.cpu = text(128)
        XCTAssertNil(refusal(r))
        r.cpu = text(129)
        XCTAssertEqual(refusal(r), .limitExceeded)
        r.cpu = ""
        r.gpu = "tab\there"
        XCTAssertEqual(refusal(r), .invalidValue)
        r.gpu = "del\u{7f}"
        XCTAssertEqual(refusal(r), .invalidValue)
        r.gpu = "ü and 日本"
        XCTAssertNil(refusal(r))
    }

    func testFuncHoldsOneTo256Bytes() {
        var s = spec
        s.function = text(256)
        XCTAssertNil(refusal(s))
        s.function = text(257)
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.function = ""
        XCTAssertEqual(refusal(s), .invalidValue)
    }

    func testArgumentsAreAtMost64OfAtMost4096BytesWithoutNUL() {
        var s = spec
        s.args = WireList([Text](repeating: text(4096), count: 64))
        XCTAssertNil(refusal(s))
        s.args = WireList([Text](repeating: "a", count: 65))
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.args = WireList([text(4097)])
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.args = WireList(["a\u{0}b"])
        XCTAssertEqual(refusal(s), .invalidValue)
        s.args = WireList(["line\nfeed and \u{1} are fine"])
        XCTAssertNil(refusal(s))
    }

    func testEnvironmentHoldsSixtyFourSortedVariables() {
        let keys = (0..<65).map { Text("K" + String(1000 + $0)) }
        var s = spec
        s.env = WireList(keys.prefix(64).map { EnvVar(key: $0, value: text(4096)) })
        XCTAssertNil(refusal(s))
        s.env = WireList(keys.map { EnvVar(key: $0, value: "") })
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.env = WireList([EnvVar(key: text(128, "K"), value: "v")])
        XCTAssertNil(refusal(s))
        s.env = WireList([EnvVar(key: text(129, "K"), value: "v")])
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.env = WireList([EnvVar(key: "K", value: text(4097))])
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.env = WireList([EnvVar(key: "K", value: "a\u{0}")])
        XCTAssertEqual(refusal(s), .invalidValue)
    }

    func testEnvironmentKeysFollowTheirOwnCharacterRule() {
        var s = spec
        for (key, code) in [
            ("_x9", nil), ("A_B", nil), ("9A", ErrorCode.invalidValue), ("A-B", .invalidValue),
            ("A.B", .invalidValue), ("", .invalidValue), ("Ä", .invalidValue),
        ] as [(Text, ErrorCode?)] {
            s.env = WireList([EnvVar(key: key, value: "v")])
            XCTAssertEqual(refusal(s), code, "key \(key)")
        }
        s.env = WireList([EnvVar(key: "B", value: ""), EnvVar(key: "a", value: "")])
        XCTAssertNil(refusal(s), "byte order: upper case sorts before lower case")
        s.env = WireList([EnvVar(key: "a", value: ""), EnvVar(key: "B", value: "")])
        XCTAssertEqual(refusal(s), .notSorted)
    }

    func testConditionsHoldSixtyFourStrictlyAscendingRuntimeIds() {
        let ids = (0..<65).map { i in ID(bytes: [UInt8](repeating: 0, count: 31) + [UInt8(i)])! }
        var s = spec
        s.conditions.runtimeIds = WireList(Array(ids.prefix(64)))
        XCTAssertNil(refusal(s))
        s.conditions.runtimeIds = WireList(ids)
        XCTAssertEqual(refusal(s), .limitExceeded)
        s.conditions.runtimeIds = WireList([ids[1], ids[1]])
        XCTAssertEqual(refusal(s), .notSorted)
        s.conditions.runtimeIds = WireList([ids[2], ids[1]])
        XCTAssertEqual(refusal(s), .notSorted)
    }

    func testConditionRuntimeTypeIsEmptyOrAName() {
        var s = spec
        s.conditions.runtimeType = ""
        XCTAssertNil(refusal(s))
        s.conditions.runtimeType = "a b"
        XCTAssertEqual(refusal(s), .invalidValue)
    }

    func testPriorityTimeoutsAndRetriesHoldTheirRanges() {
        func check(_ change: (inout ProcessSpec) -> Void) -> ErrorCode? {
            var s = spec
            change(&s)
            return refusal(s)
        }
        for p: Int32 in [-1000, 0, 1000] { XCTAssertNil(check { $0.priority = p }) }
        for p: Int32 in [-1001, 1001, .min, .max] {
            XCTAssertEqual(check { $0.priority = p }, .invalidValue)
        }
        for t: Int32 in [-1, 1, 31_536_000] {
            XCTAssertNil(check { $0.timeout = t })
            XCTAssertNil(check { $0.maxWaitTime = t })
        }
        for t: Int32 in [0, -2, 31_536_001, .min] {
            XCTAssertEqual(check { $0.timeout = t }, .invalidValue)
            XCTAssertEqual(check { $0.maxWaitTime = t }, .invalidValue)
        }
        for r: Int32 in [-1, 0, 1000] { XCTAssertNil(check { $0.maxRetries = r }) }
        for r: Int32 in [-2, 1001] { XCTAssertEqual(check { $0.maxRetries = r }, .invalidValue) }
    }

    func testAttributeKeysHold128BytesAndValues64KiB() {
        var a = Fixtures.newAttribute
        a.key = text(128)
        a.value = text(65_536)
        XCTAssertNil(refusal(a))
        a.key = text(129)
        XCTAssertEqual(refusal(a), .limitExceeded)
        a.key = "k"
        a.value = text(65_537)
        XCTAssertEqual(refusal(a), .limitExceeded)
        a.value = "any text, even \u{0} and \n"
        XCTAssertNil(refusal(a))

        var stored = Fixtures.attribute
        stored.value = text(65_536)
        XCTAssertNil(refusal(stored))
        stored.value = text(65_537)
        XCTAssertEqual(refusal(stored), .limitExceeded)
    }

    func testErrorMessagesHold1024BytesAndPongVersions64() {
        XCTAssertNil(refusal(ErrorBody(code: .internalError, message: text(1024))))
        XCTAssertEqual(
            refusal(ErrorBody(code: .internalError, message: text(1025))), .limitExceeded)
        var pong = Fixtures.pong
        pong.serverVersion = text(64)
        XCTAssertNil(refusal(pong))
        pong.serverVersion = text(65)
        XCTAssertEqual(refusal(pong), .limitExceeded)
    }

    func testAnErrorFrameClipsALongMessageAtACharacterBoundary() throws {
        var encoder = FrameEncoder()
        let message = String(repeating: "a", count: 1023) + "é"  // é is 2 bytes: 1025 in all
        let bytes = encoder.error(.internalError, message, requestId: 1)
        guard case (_, .error(let body)) = try ServerMessage.read(bytes) else {
            return XCTFail("not an error frame")
        }
        XCTAssertEqual(body.message.byteCount, 1023)
    }

    func testListAndWaitRequestsHoldTheirRanges() {
        let c = Fixtures.colonyId
        XCTAssertNil(refusal(.listProcesses(colonyId: c, state: .waiting, count: 1)))
        XCTAssertNil(refusal(.listProcesses(colonyId: c, state: .waiting, count: 1000)))
        XCTAssertEqual(
            refusal(.listProcesses(colonyId: c, state: .waiting, count: 0)), .invalidValue)
        XCTAssertEqual(
            refusal(.listProcesses(colonyId: c, state: .waiting, count: 1001)), .invalidValue)
        XCTAssertNil(refusal(.assignProcess(colonyId: c, waitSeconds: 0)))
        XCTAssertNil(refusal(.assignProcess(colonyId: c, waitSeconds: 3600)))
        XCTAssertEqual(refusal(.assignProcess(colonyId: c, waitSeconds: 3601)), .invalidValue)
    }

    func testListRepliesHold1000ItemsAndProcessDetails256Attributes() {
        let colonies = (0..<1001).map { Colony(id: .zero, name: Text("c\($0)")) }
        XCTAssertNil(refusal(.colonies(WireList(Array(colonies.prefix(1000)))), to: .listColonies))
        XCTAssertEqual(refusal(.colonies(WireList(colonies)), to: .listColonies), .limitExceeded)

        let attributes = [Attribute](repeating: Fixtures.attribute, count: 257)
        let process = Fixtures.runningProcess
        XCTAssertNil(
            refusal(
                .processDetails(process, attributes: WireList(Array(attributes.prefix(256)))),
                to: .getProcess))
        XCTAssertEqual(
            refusal(.processDetails(process, attributes: WireList(attributes)), to: .getProcess),
            .limitExceeded)
    }

    func testAFrameMayBeExactlyOneMebibyteAndNotOneByteMore() throws {
        var frame = RawFrames.header(type: 0x02, flags: 0, requestId: 1)
        frame += [UInt8](repeating: 0, count: Limits.maxFrameBytes - frame.count)
        let whole = RawFrames.prefixed(frame)
        XCTAssertEqual(try FrameParser.length(of: whole[...]), .complete(4 + (1 << 20)))
        XCTAssertEqual(try FrameParser.length(of: whole.prefix(100)), .incomplete)
        XCTAssertEqual(try FrameParser.parseWhole(whole[...]).body.count, (1 << 20) - 7)

        let over: [UInt8] = [0x00, 0x10, 0x00, 0x01]
        XCTAssertThrowsError(try FrameParser.length(of: over[...])) {
            XCTAssertEqual(($0 as? WireError)?.code, .frameTooLarge)
        }
    }

    func testTheSmallestFramesAreAHeaderAndASignedEmptyBody() throws {
        let ping = RawFrames.unsigned(type: 0x02, requestId: 5, body: [])
        XCTAssertEqual(ping.count, 11)
        XCTAssertEqual(try FrameParser.parseWhole(ping[...]).requestId, 5)
        XCTAssertThrowsError(try FrameParser.length(of: [0, 0, 0, 6][...])) {
            XCTAssertEqual(($0 as? WireError)?.code, .truncated)
        }
        XCTAssertEqual(try FrameParser.length(of: [0, 0, 0][...]), .incomplete)

        let list = RawFrames.signed(
            type: 0x11, requestId: 1, sequence: 1, body: [], key: Fixtures.serverOwnerKey)
        XCTAssertEqual(list.count, 4 + 7 + 8 + 65)
        let verified = try ClientMessage.read(list, challenge: Fixtures.challenge)
        XCTAssertEqual(verified.request, .listColonies)
        XCTAssertEqual(verified.signer, Fixtures.serverId)
    }

    func testAcceptedSequencesMustKeepRising() throws {
        var verifier = RequestVerifier(challenge: Fixtures.challenge)
        func frame(_ sequence: UInt64) throws -> Frame {
            try FrameParser.parseWhole(
                RawFrames.signed(
                    type: 0x11, requestId: 1, sequence: sequence, body: [],
                    key: Fixtures.serverOwnerKey)[...])
        }
        XCTAssertEqual(try verifier.verify(frame(5)).signer, Fixtures.serverId)
        XCTAssertThrowsError(try verifier.verify(frame(5)))
        XCTAssertThrowsError(try verifier.verify(frame(4)))
        XCTAssertNoThrow(try verifier.verify(frame(UInt64.max)))
        XCTAssertEqual(verifier.lastSequence, UInt64.max)
        XCTAssertThrowsError(try verifier.verify(frame(UInt64.max)))

        // A refused frame changes nothing: the next higher one is still accepted.
        var fresh = RequestVerifier(challenge: Fixtures.challenge, lastSequence: 10)
        var bad = try frame(11)
        bad.signature?.v = 2
        XCTAssertThrowsError(try fresh.verify(bad))
        XCTAssertEqual(fresh.lastSequence, 10)
        XCTAssertNoThrow(try fresh.verify(frame(11)))
    }
}
