import Foundation
import Wire
import XCTest

@testable import colonies

/// The pieces of the client commands that need no server: spec files mapped to the
/// protocol's types, and how times are written.
final class ClientFormatTests: XCTestCase {
    private let colony = PrivateKey.generate().id

    private func spec(_ json: String) throws -> SpecObject {
        try SpecObject(json: Data(json.utf8), file: "spec.json")
    }

    /// The message of the SpecError that mapping `json` as a process spec throws.
    private func processSpecError(_ json: String) throws -> String {
        let object = try spec(json)
        do {
            _ = try SpecMapping.processSpec(object, colony: colony)
        } catch {
            return error.message
        }
        XCTFail("expected \(json) to be refused")
        return ""
    }

    // MARK: Spec mapping

    func testTheExampleProcessSpecMapsWithTheGivenColony() throws {
        let mapped = try SpecMapping.processSpec(try spec("""
            {"conditions": {"colonyid": "", "runtimeids": [], "runtimetype": "raspberry-pi",
                            "mem": 512, "cores": 1, "gpus": 0},
             "func": "echo", "args": ["temperature", "21.5"], "env": {"SENSOR": "gh-3"},
             "priority": 0, "timeout": 30, "maxwaittime": -1, "maxretries": 3}
            """), colony: colony)

        XCTAssertEqual(mapped.conditions.colonyId, colony)
        XCTAssertEqual(mapped.conditions.runtimeType, "raspberry-pi")
        XCTAssertEqual(mapped.conditions.mem, 512)
        XCTAssertEqual(mapped.args.array, ["temperature", "21.5"])
        XCTAssertEqual(mapped.env.array, [EnvVar(key: "SENSOR", value: "gh-3")])
        XCTAssertEqual(mapped.timeout, 30)
        XCTAssertEqual(mapped.maxRetries, 3)
    }

    func testAbsentFieldsTakeTheirDefaults() throws {
        let mapped = try SpecMapping.processSpec(try spec(#"{"func": "echo"}"#), colony: colony)

        XCTAssertEqual(
            mapped, ProcessSpec(conditions: Conditions(colonyId: colony), function: "echo"))
        XCTAssertEqual(mapped.priority, 0)
        XCTAssertEqual(mapped.timeout, -1)
        XCTAssertEqual(mapped.maxWaitTime, -1)
        XCTAssertEqual(mapped.maxRetries, 0)
    }

    func testAColonyInTheSpecWinsOverTheGivenOne() throws {
        let other = PrivateKey.generate().id
        let json = #"{"func": "f", "conditions": {"colonyid": "\#(other.hex)"}}"#

        let mapped = try SpecMapping.processSpec(try spec(json), colony: colony)

        XCTAssertEqual(mapped.conditions.colonyId, other)
    }

    func testNoColonyAnywhereIsRefusedNamingTheFlag() throws {
        let object = try spec(#"{"func": "f"}"#)

        do {
            _ = try SpecMapping.processSpec(object, colony: nil)
            XCTFail("expected a refusal")
        } catch {
            XCTAssertTrue(error.message.contains("'conditions.colonyid'"), error.message)
            XCTAssertTrue(error.message.contains("--colonyid"), error.message)
        }
    }

    func testEachBadFieldIsNamed() throws {
        let cases: [(json: String, expected: String)] = [
            (#"{"func": "f", "prio": 1}"#, "unknown field 'prio'"),
            (#"{"func": "f", "conditions": {"mem": 1, "memory": 2}}"#,
             "unknown field 'conditions.memory'"),
            (#"{"func": 3}"#, "field 'func' must be a string"),
            (#"{"func": "f", "args": "a b"}"#, "field 'args' must be an array of strings"),
            (#"{"func": "f", "env": {"A": 1}}"#, "field 'env.A' must be a string"),
            (#"{"func": "f", "priority": -1001}"#, "field 'priority' must be in -1000...1000"),
            (#"{"func": "f", "timeout": 0}"#, "field 'timeout' must be -1 (no limit) or 1..."),
            (#"{"func": "f", "maxwaittime": 31536001}"#, "field 'maxwaittime' must be -1"),
            (#"{"func": "f", "maxretries": -2}"#, "field 'maxretries' must be in -1...1000"),
            (#"{"func": "f", "conditions": {"gpus": -1}}"#, "field 'conditions.gpus' must be in"),
            (#"{"func": "f", "conditions": {"runtimeids": ["ab"]}}"#,
             "field 'conditions.runtimeids[0]' must be an id"),
            (#"{"func": "f", "conditions": {"runtimetype": "a b"}}"#,
             "field 'conditions.runtimetype' must be empty or 1 to 64"),
            (#"{"func": ""}"#, "field 'func' must be 1 to 256 bytes"),
            (#"{"func": "f", "args": ["ok", "nul\u0000"]}"#, "field 'args[1]' must be at most"),
            (#"{"func": "f", "env": {"9LIVES": "v"}}"#, "field 'env.9LIVES' is not a variable"),
        ]
        for (json, expected) in cases {
            let message = try processSpecError(json)
            XCTAssertTrue(message.contains(expected), "\(json): \(message)")
        }
    }

    func testTooManyArgumentsAreRefusedAsAWhole() throws {
        let args = (0...Limits.maxArgs).map { "\"a\($0)\"" }.joined(separator: ",")

        let message = try processSpecError(#"{"func": "f", "args": [\#(args)]}"#)

        XCTAssertTrue(message.contains("field 'args' may hold at most 64"), message)
    }

    func testARuntimeSpecMapsEveryFieldAndChecksItsName() throws {
        let json = """
            {"name": "edge-node-17", "runtimetype": "raspberry-pi", "cpu": "Cortex-A72",
             "cores": 4, "mem": 3792, "gpu": "", "gpus": 0}
            """
        let id = PrivateKey.generate().id

        let runtime = try SpecMapping.runtime(try spec(json), id: id, colony: colony)

        XCTAssertEqual(
            runtime,
            Runtime(
                id: id, colonyId: colony, name: "edge-node-17", type: "raspberry-pi",
                cpu: "Cortex-A72", cores: 4, mem: 3792))
        XCTAssertThrowsError(
            try SpecMapping.runtime(
                try spec(#"{"name": "n", "runtimetype": "pi 4"}"#), id: id, colony: colony)
        ) { error in
            XCTAssertTrue(
                (error as? SpecError)?.message.contains("field 'runtimetype'") == true, "\(error)")
        }
    }

    func testAColonySpecNeedsAName() throws {
        XCTAssertThrowsError(try SpecMapping.colony(try spec("{}"), id: colony)) { error in
            XCTAssertEqual(error as? SpecError, .missingField(file: "spec.json", field: "name"))
        }
    }

    // MARK: Times

    func testTimesAreWrittenAsISO8601InUTC() {
        let ns: Int64 = 1_700_000_000_123_456_789

        XCTAssertEqual(Timestamp.text(ns), "2023-11-14T22:13:20Z")
        XCTAssertEqual(Timestamp.precise(ns), "2023-11-14T22:13:20.123456789Z")
        XCTAssertEqual(Timestamp.text(951_782_400_000_000_000), "2000-02-29T00:00:00Z")
    }

    func testZeroIsNotATime() {
        XCTAssertEqual(Timestamp.text(0), "-")
        XCTAssertNil(Timestamp.precise(0))
    }

    func testTimesBeforeTheEpochCountBackwards() {
        XCTAssertEqual(Timestamp.precise(-1), "1969-12-31T23:59:59.999999999Z")
    }

    func testTimesAgreeWithFoundationAcrossTheYears() {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ClientFormatTests seed: \(seed)")
        var generator = SplitMix(seed: seed)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")

        for _ in 0..<500 {
            let seconds = Int64(generator.next() % 8_000_000_000) - 2_000_000_000
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))

            XCTAssertEqual(Timestamp.text(seconds * 1_000_000_000), expected, "seed \(seed)")
        }
    }

    // MARK: Text

    func testArgumentsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(TextFormat.arguments(["temperature", "21.5"]), "temperature 21.5")
        XCTAssertEqual(TextFormat.arguments(["a b", ""]), "'a b' ''")
        XCTAssertEqual(TextFormat.arguments(["it's"]), #"'it'\''s'"#)
    }
}

/// A small seeded generator, so that a failing run can be repeated with its seed.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
