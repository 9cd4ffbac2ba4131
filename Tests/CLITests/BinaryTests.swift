import XCTest

/// End-to-end runs of the built `colonies` binary: output, messages and exit codes.
final class BinaryTests: XCTestCase {
    private let vectorKey = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
    private let vectorID = "4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87"

    func testSecurityIDPrintsOnlyTheIDOfTheKnownKey() throws {
        let run = try BuiltBinary.run(["security", "id", "--prvkey", vectorKey])

        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertEqual(run.output, vectorID + "\n")
        XCTAssertEqual(run.errors, "")
    }

    func testSecurityIDWithTooShortKeyExitsTwoAndSaysHexDigits() throws {
        let run = try BuiltBinary.run(["security", "id", "--prvkey", "6d2f"])

        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.output, "")
        XCTAssertTrue(run.errors.contains("--prvkey"), run.errors)
        XCTAssertTrue(run.errors.contains("64 hex digits"), run.errors)
    }

    func testSecurityIDWithKeyOutsideTheCurveExitsTwoAndSaysSecp256k1() throws {
        let tooLarge = String(repeating: "f", count: 64)
        let run = try BuiltBinary.run(["security", "id", "--prvkey", tooLarge])

        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.errors.contains("not a valid secp256k1 private key"), run.errors)
    }

    func testSecurityGenerateJSONHoldsAKeyAndItsID() throws {
        let run = try BuiltBinary.run(["security", "generate", "--json"])
        XCTAssertEqual(run.status, 0, run.errors)
        let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
        let fields = try XCTUnwrap(object as? [String: String])
        let key = try XCTUnwrap(fields["prvkey"])

        let check = try BuiltBinary.run(["security", "id", "--prvkey", key])

        XCTAssertEqual(check.output, try XCTUnwrap(fields["id"]) + "\n")
    }

    func testSecurityGeneratePrintsOneLineOfSixtyFourHexDigits() throws {
        let run = try BuiltBinary.run(["security", "generate"])

        XCTAssertEqual(run.status, 0, run.errors)
        let line = run.output.trimmingCharacters(in: .newlines)
        XCTAssertEqual(run.output.filter { $0 == "\n" }.count, 1)
        XCTAssertEqual(line.count, 64)
        XCTAssertTrue(line.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    func testHelpOfACommandListsEveryFlag() throws {
        let run = try BuiltBinary.run(["security", "id", "--help"])

        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("Usage: colonies security id"), run.output)
        XCTAssertTrue(run.output.contains("--prvkey HEX"), run.output)
        XCTAssertTrue(run.output.contains("--json"), run.output)
        XCTAssertTrue(run.output.contains("-h, --help"), run.output)
    }

    func testHelpOfTheToolListsGroupsAndVersionFlag() throws {
        let run = try BuiltBinary.run(["--help"])

        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("security"), run.output)
        XCTAssertTrue(run.output.contains("--version"), run.output)
    }

    func testVersionPrintsNameAndVersion() throws {
        let run = try BuiltBinary.run(["--version"])

        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.output.hasPrefix("colonies "), run.output)
    }

    func testUnknownFlagIsAUsageErrorThatNamesItAndPointsAtHelp() throws {
        let run = try BuiltBinary.run(["security", "generate", "--jsno"])

        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.output, "")
        XCTAssertTrue(run.errors.contains("unknown flag '--jsno'"), run.errors)
        XCTAssertTrue(run.errors.contains("did you mean '--json'"), run.errors)
        XCTAssertTrue(run.errors.contains("colonies security generate --help"), run.errors)
    }

    func testUnknownCommandIsAUsageError() throws {
        let run = try BuiltBinary.run(["security", "forge"])

        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.errors.contains("unknown command 'forge'"), run.errors)
    }

    func testMissingRequiredFlagIsAUsageError() throws {
        let run = try BuiltBinary.run(["security", "id"])

        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.errors.contains("missing required flag '--prvkey'"), run.errors)
    }
}
