import Foundation
import Wire
import XCTest

/// Replays every file in spec/vectors/ against the implementation, the way a second
/// implementation would use them: valid frames parse, verify to their signer, decode to their
/// fields and encode back to the same bytes; invalid frames fail with exactly their code.
final class VectorReplayTests: XCTestCase {
    /// Every JSON file in spec/vectors/, parsed.
    private func documents() throws -> [JSON] {
        let names = try FileManager.default.contentsOfDirectory(atPath: VectorFiles.directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(names, ["invalid-frames.json", "requests.json", "server-frames.json"])
        var out: [JSON] = []
        for name in names {
            let url = VectorFiles.directory.appendingPathComponent(name)
            out.append(try JSON.parse(try String(contentsOf: url, encoding: .utf8)))
        }
        return out
    }

    private func vectors(of kind: String) throws -> [JSON] {
        let docs = try documents().filter { doc in doc["kind"]?.string == kind }
        XCTAssertEqual(docs.count, 1, "one file of kind \(kind)")
        let vectors = try XCTUnwrap(docs.first?["vectors"]?.array)
        XCTAssertFalse(vectors.isEmpty)
        return vectors
    }

    private func hex(_ v: JSON, _ key: String) throws -> [UInt8] {
        try XCTUnwrap(v[key]?.string.flatMap(Hex.decode), "\(key) must be hex")
    }

    private func id(_ v: JSON, _ key: String) throws -> ID {
        try XCTUnwrap(ID(bytes: try hex(v, key)), "\(key) must be 32 bytes")
    }

    func testEveryFileIsOfAKnownKind() throws {
        let kinds = try documents().map { doc in doc["kind"]?.string ?? "" }.sorted()
        XCTAssertEqual(kinds, ["invalid-frames", "requests", "server-frames"])
    }

    func testValidRequestsVerifyToTheirSignerDecodeToTheirFieldsAndEncodeBackExactly() throws {
        for v in try vectors(of: "requests") {
            let name = v["name"]?.string ?? "?"
            let bytes = try hex(v, "frame")
            let challenge = try id(v, "challenge")

            let verified = try ClientMessage.read(bytes, challenge: challenge)
            XCTAssertEqual(verified.request.type.name, name)
            XCTAssertEqual(verified.request.type.rawValue, UInt8(v["type"]?.int64 ?? -1), name)
            XCTAssertEqual(Int64(verified.requestId), v["request_id"]?.int64, name)
            XCTAssertEqual(MessageJSON.request(verified.request), v["fields"], name)

            let frame = try FrameParser.parseWhole(bytes[...])
            XCTAssertEqual(Hex.encode(frame.body), v["body"]?.string, name)
            XCTAssertEqual(v["signed"], JSON.bool(frame.isSigned), name)
            guard frame.isSigned else {
                XCTAssertNil(verified.signer, name)
                var encoder = FrameEncoder()
                let again = encoder.request(
                    verified.request, requestId: verified.requestId, key: nil,
                    challenge: challenge, sequence: 0)
                XCTAssertEqual(again, bytes, "\(name) re-encodes to the same bytes")
                continue
            }

            XCTAssertEqual(verified.signer?.hex, v["signer"]?.string, name)
            XCTAssertEqual(Int64(frame.sequence), v["sequence"]?.int64, name)
            XCTAssertEqual(frame.signature?.hex, v["signature"]?.string, name)
            let digest = Signing.digest(
                challenge: challenge, type: frame.typeByte, requestId: frame.requestId,
                sequence: frame.sequence, body: frame.body)
            XCTAssertEqual(digest.hex, v["digest"]?.string, name)

            let key = try PrivateKey(hex: try XCTUnwrap(v["signer_private_key"]?.string))
            XCTAssertEqual(key.id.hex, v["signer"]?.string, name)
            var encoder = FrameEncoder()
            let again = encoder.request(
                verified.request, requestId: verified.requestId, key: key, challenge: challenge,
                sequence: frame.sequence)
            XCTAssertEqual(Hex.encode(again), Hex.encode(bytes), "\(name) re-encodes and re-signs")
        }
    }

    func testValidServerFramesDecodeToTheirFieldsAndEncodeBackExactly() throws {
        var kinds: Set<String> = []
        var replyTypes: Set<UInt8> = []
        for v in try vectors(of: "server-frames") {
            let name = v["name"]?.string ?? "?"
            let bytes = try hex(v, "frame")
            let (frame, message) = try ServerMessage.read(bytes)
            XCTAssertEqual(Int64(frame.typeByte), v["type"]?.int64, name)
            XCTAssertEqual(Int64(frame.requestId), v["request_id"]?.int64, name)
            XCTAssertEqual(Hex.encode(frame.body), v["body"]?.string, name)

            var encoder = FrameEncoder()
            let again: [UInt8]
            switch message {
            case .hello(let h):
                kinds.insert("hello")
                XCTAssertEqual(MessageJSON.hello(h), v["fields"], name)
                again = encoder.hello(h)
            case .error(let e):
                kinds.insert("error")
                XCTAssertEqual(MessageJSON.error(e), v["fields"], name)
                // The same key as in invalid-frames.json.
                XCTAssertEqual(v["fields"]?["code_name"]?.string, e.code.name, name)
                again = encoder.error(e.code, e.message.string, requestId: frame.requestId)
            case .event(let p):
                kinds.insert("event")
                XCTAssertEqual(MessageJSON.process(p), v["fields"], name)
                again = encoder.event(p, subscription: frame.requestId)
            case .reply(let type, let reply):
                let (replyName, fields) = MessageJSON.reply(reply)
                kinds.insert("reply-" + replyName)
                replyTypes.insert(frame.typeByte)
                XCTAssertEqual(v["request_type"]?.string, type.name, name)
                XCTAssertEqual(v["reply"]?.string, replyName, name)
                XCTAssertEqual(fields, v["fields"], name)
                again = encoder.reply(reply, to: type, requestId: frame.requestId)
            }
            XCTAssertEqual(Hex.encode(again), Hex.encode(bytes), "\(name) re-encodes exactly")
        }
        XCTAssertEqual(
            kinds.count, 15, "hello, error, event and 12 reply bodies: \(kinds.sorted())")
        let requestTypes = MessageType.allCases.filter(\.isRequest)
        XCTAssertEqual(
            replyTypes, Set(requestTypes.map(\.replyByte)), "a reply to every request type")
    }

    func testInvalidFramesFailWithExactlyTheirCode() throws {
        var names: Set<String> = []
        for v in try vectors(of: "invalid-frames") {
            let name = try XCTUnwrap(v["name"]?.string)
            XCTAssertTrue(names.insert(name).inserted, "\(name) appears once")
            let bytes = try hex(v, "frame")
            let code = ErrorCode(rawValue: UInt16(try XCTUnwrap(v["code"]?.int64)))
            XCTAssertEqual(code.name, v["code_name"]?.string, name)

            switch v["direction"]?.string {
            case "request":
                let challenge = try id(v, "challenge")
                let last = UInt64(try XCTUnwrap(v["last_sequence"]?.int64))
                try expectRefusal(name, code, knownSigner: v["known_signer"]?.string) {
                    () throws(WireError) in
                    try ClientMessage.read(bytes, challenge: challenge, lastSequence: last).signer
                }
                if v["signed_for_challenge"] != nil {
                    // On its own connection the same bytes verify to the known signer.
                    let own = try id(v, "signed_for_challenge")
                    let signer = try ClientMessage.read(bytes, challenge: own).signer
                    XCTAssertEqual(signer?.hex, v["known_signer"]?.string, name)
                }
            case "server":
                try expectRefusal(name, code, knownSigner: nil) { () throws(WireError) in
                    _ = try ServerMessage.read(bytes)
                    return nil
                }
            default:
                XCTFail("\(name): unknown direction")
            }
        }
        XCTAssertGreaterThan(names.count, 40)
    }

    /// Inputs found by fuzzing, in spec/vectors/regressions/, read the way the server reads
    /// a stream: split at the length prefix without judging it, then parsed and verified.
    func testFuzzingRegressionsFailWithTheirCodeWhenSplitAsTheServerSplits() throws {
        let folder = VectorFiles.directory.appendingPathComponent("regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(names.isEmpty, "spec/vectors/regressions holds the fuzzing finds")
        var count = 0
        for file in names {
            let text = try String(
                contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for v in try XCTUnwrap(try JSON.parse(text)["vectors"]?.array, file) {
                let name = "\(file): \(v["name"]?.string ?? "?")"
                XCTAssertEqual(v["direction"]?.string, "request", name)
                let bytes = try hex(v, "frame")
                let code = ErrorCode(rawValue: UInt16(try XCTUnwrap(v["code"]?.int64)))
                XCTAssertEqual(code.name, v["code_name"]?.string, name)
                var verifier = RequestVerifier(
                    challenge: try id(v, "challenge"),
                    lastSequence: UInt64(try XCTUnwrap(v["last_sequence"]?.int64)))

                guard bytes.count >= FrameLayout.prefixSize else {
                    XCTFail("\(name) has no length prefix")
                    continue
                }
                let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
                let payload = bytes.dropFirst(4).prefix(length)
                try expectRefusal(name, code, knownSigner: nil) { () throws(WireError) in
                    try verifier.verify(FrameParser.parse(payload)).signer
                }
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 0)
    }

    /// Runs `read`; it must throw `code`. When the vector names a known signer, reading must
    /// instead succeed and recover someone else, whom the server does not know (code 40).
    private func expectRefusal(
        _ name: String, _ code: ErrorCode, knownSigner: String?,
        _ read: () throws(WireError) -> ID?
    ) throws {
        do {
            let signer = try read()
            guard let knownSigner else {
                XCTFail("\(name): accepted, but must fail with \(code)")
                return
            }
            XCTAssertEqual(code, .unknownIdentity, name)
            XCTAssertNotNil(signer, name)
            XCTAssertNotEqual(signer?.hex, knownSigner, "\(name) must not recover the real signer")
        } catch {
            XCTAssertNil(knownSigner, "\(name): must verify, then fail on the unknown signer")
            XCTAssertEqual(error.code, code, "\(name): \(error)")
        }
    }
}
