import Foundation
import XCTest

@testable import colonies

final class SpecFileTests: XCTestCase {
    // The shape of shared/examples/process_spec.json.
    private let processSpec = """
        {
            "conditions": {"colonyid": "", "runtimeids": [], "runtimetype": "raspberry-pi",
                           "mem": 512, "cores": 1, "gpus": 0},
            "func": "echo", "args": ["temperature", "21.5"], "env": {"SENSOR": "greenhouse-3"},
            "priority": 0, "timeout": 30, "maxwaittime": -1, "maxretries": 3
        }
        """

    private func spec(_ text: String) throws -> SpecObject {
        try SpecObject(json: Data(text.utf8), file: "process_spec.json")
    }

    private func message(_ body: (SpecObject) throws -> Void, _ text: String) throws -> String {
        let object = try spec(text)
        do {
            try body(object)
        } catch let error as SpecError {
            return error.message
        }
        XCTFail("expected a SpecError")
        return ""
    }

    func testTheExampleProcessSpecReadsWithTypedAccessors() throws {
        let object = try spec(processSpec)
        let conditions = try XCTUnwrap(try object.object("conditions"))

        XCTAssertEqual(try conditions.int("mem"), 512)
        XCTAssertEqual(try conditions.strings("runtimeids"), [])
        XCTAssertEqual(try object.string("func"), "echo")
        XCTAssertEqual(try object.strings("args"), ["temperature", "21.5"])
        XCTAssertEqual(try object.stringMap("env"), ["SENSOR": "greenhouse-3"])
        XCTAssertEqual(try object.int("maxwaittime"), -1)
        XCTAssertNil(try object.int("absent"))
    }

    func testANestedWrongTypeIsReportedByFileAndDottedName() throws {
        let text = processSpec.replacingOccurrences(of: "\"mem\": 512", with: "\"mem\": \"512\"")

        let error = try message({ _ = try $0.object("conditions")?.int("mem") }, text)

        XCTAssertEqual(error, "process_spec.json: field 'conditions.mem' must be an integer")
    }

    func testFractionsAndBooleansAreNotIntegers() throws {
        let fraction = try message({ _ = try $0.int("n") }, #"{"n": 1.5}"#)
        let boolean = try message({ _ = try $0.int("n") }, #"{"n": true}"#)

        XCTAssertEqual(fraction, "process_spec.json: field 'n' must be an integer")
        XCTAssertEqual(boolean, "process_spec.json: field 'n' must be an integer")
    }

    func testNumbersAreNotBooleans() throws {
        let error = try message({ _ = try $0.bool("b") }, #"{"b": 1}"#)

        XCTAssertEqual(error, "process_spec.json: field 'b' must be true or false")
        XCTAssertEqual(try spec(#"{"b": false}"#).bool("b"), false)
    }

    func testAWrongArrayElementIsNamedByIndex() throws {
        let error = try message({ _ = try $0.strings("args") }, #"{"args": ["a", 2]}"#)

        XCTAssertEqual(error, "process_spec.json: field 'args[1]' must be a string")
    }

    func testAnUnknownFieldIsNamed() throws {
        let error = try message(
            { try $0.requireOnly(["func", "args"]) }, #"{"func": "f", "argz": []}"#)

        XCTAssertTrue(error.hasPrefix("process_spec.json: unknown field 'argz'"), error)
    }

    func testAMissingRequiredFieldIsNamed() throws {
        let error = try message({ _ = try $0.require("func", $0.string("func")) }, "{}")

        XCTAssertEqual(error, "process_spec.json: field 'func' is missing")
    }

    func testNullCountsAsAbsent() throws {
        XCTAssertNil(try spec(#"{"func": null}"#).string("func"))
    }

    func testBrokenJSONAndNonObjectsAreRefused() {
        XCTAssertThrowsError(try spec("{")) { error in
            guard case .notJSON("process_spec.json", _)? = error as? SpecError else {
                return XCTFail("expected notJSON, got \(error)")
            }
        }
        XCTAssertThrowsError(try spec("[1]")) { error in
            XCTAssertEqual(error as? SpecError, .notAnObject(file: "process_spec.json", field: nil))
        }
    }

    func testAMissingFileIsUnreadable() {
        XCTAssertThrowsError(try SpecObject.load(path: "/nonexistent/spec.json")) { error in
            guard case .unreadable("/nonexistent/spec.json", _)? = error as? SpecError else {
                return XCTFail("expected unreadable, got \(error)")
            }
        }
    }
}
