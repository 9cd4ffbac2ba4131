import CLICore
import XCTest

@testable import colonies

/// The parser against a small tree: `tool net connect`, `tool net nested deep`.
final class ArgumentParserTests: XCTestCase {
    private let connect = Command(
        "connect", "Connect.",
        flags: [
            .string("host", "Host.", env: "T_HOST", default: "127.0.0.1"),
            .int("port", "Port.", range: 1...65535, env: "T_PORT", default: 50080),
            .int("retries", "Retries."),
            .string("token", "Token.", env: "T_TOKEN", required: true),
            .bool("verbose", "Talk.", env: "T_VERBOSE"),
        ],
        run: { _ in })

    private var parser: ArgumentParser {
        let deep = Command("deep", "Deep.", run: { _ in })
        let nested = CommandGroup("nested", "Nested.", commands: [deep])
        let net = CommandGroup("net", "Net.", groups: [nested], commands: [connect])
        return ArgumentParser(root: CommandGroup("tool", "Tool.", groups: [net]))
    }

    private func flags(
        _ arguments: [String], env: [String: String] = [:]
    ) throws(UsageError) -> ParsedFlags {
        let result = try parser.parse(["net", "connect"] + arguments, environment: env)
        guard case .run(_, _, let flags) = result else {
            XCTFail("expected a command to run, got \(result)")
            return ParsedFlags(declared: [], values: [:])
        }
        return flags
    }

    private func usageError(
        _ arguments: [String], env: [String: String] = [:]
    ) -> UsageError? {
        do {
            _ = try parser.parse(arguments, environment: env)
            return nil
        } catch {
            return error
        }
    }

    func testDefaultsApplyWhenNeitherFlagNorEnvironmentIsGiven() throws {
        let parsed = try flags(["--token", "t"])

        XCTAssertEqual(parsed.string("host"), "127.0.0.1")
        XCTAssertEqual(parsed.int("port"), 50080)
        XCTAssertEqual(parsed.source(of: "port"), .defaultValue)
        XCTAssertNil(parsed.optionalInt("retries"))
        XCTAssertFalse(parsed.bool("verbose"))
    }

    func testEnvironmentFillsAbsentFlagsAndTheCommandLineWins() throws {
        let env = ["T_HOST": "env-host", "T_PORT": "7000", "T_TOKEN": "secret", "T_VERBOSE": "yes"]
        let parsed = try flags(["--host", "cli-host"], env: env)

        XCTAssertEqual(parsed.string("host"), "cli-host")
        XCTAssertEqual(parsed.source(of: "host"), .commandLine)
        XCTAssertEqual(parsed.int("port"), 7000)
        XCTAssertEqual(parsed.origin(of: "port"), "T_PORT")
        XCTAssertEqual(parsed.string("token"), "secret")
        XCTAssertTrue(parsed.bool("verbose"))
    }

    func testAnEmptyEnvironmentVariableCountsAsUnset() throws {
        let parsed = try flags(["--token", "t"], env: ["T_HOST": ""])

        XCTAssertEqual(parsed.string("host"), "127.0.0.1")
    }

    func testInlineValuesNegativeNumbersAndSwitchesParse() throws {
        let parsed = try flags(["--token=a=b", "--retries", "-1", "--verbose", "--port=9"])

        XCTAssertEqual(parsed.string("token"), "a=b")
        XCTAssertEqual(parsed.int("retries"), -1)
        XCTAssertTrue(parsed.bool("verbose"))
        XCTAssertEqual(parsed.int("port"), 9)
    }

    func testAnUnknownFlagIsNamedWithASuggestion() {
        let error = usageError(["net", "connect", "--hots", "x"])

        XCTAssertEqual(
            error, .unknownFlag("--hots", path: ["tool", "net", "connect"], suggestion: "--host"))
        XCTAssertTrue(error?.message.contains("Run 'tool net connect --help'") ?? false)
    }

    func testAFlagFollowedByAnotherFlagIsMissingItsValue() {
        let error = usageError(["net", "connect", "--host", "--token", "t"])

        XCTAssertEqual(error, .missingValue(flag: "host", path: ["tool", "net", "connect"]))
    }

    func testAFlagAtTheEndIsMissingItsValue() {
        let error = usageError(["net", "connect", "--token"])

        XCTAssertEqual(error, .missingValue(flag: "token", path: ["tool", "net", "connect"]))
    }

    func testANonIntegerValueIsRefusedByFlagName() {
        let error = usageError(["net", "connect", "--token", "t", "--retries", "many"])

        guard case .invalidValue(let flag, let reason, _)? = error else {
            return XCTFail("expected invalidValue, got \(String(describing: error))")
        }
        XCTAssertEqual(flag, "retries")
        XCTAssertTrue(reason.contains("integer"), reason)
    }

    func testAnIntegerOutsideItsRangeIsRefused() {
        let error = usageError(["net", "connect", "--token", "t", "--port", "70000"])

        guard case .invalidValue("port", let reason, _)? = error else {
            return XCTFail("expected invalidValue for port, got \(String(describing: error))")
        }
        XCTAssertTrue(reason.contains("1...65535"), reason)
    }

    func testABadEnvironmentValueNamesTheVariable() {
        let error = usageError(["net", "connect", "--token", "t"], env: ["T_PORT": "http"])

        guard case .invalidEnvironment("T_PORT", "port", _, _)? = error else {
            return XCTFail("expected invalidEnvironment, got \(String(describing: error))")
        }
        XCTAssertTrue(error!.message.contains("T_PORT"))
    }

    func testAMissingRequiredFlagNamesItsEnvironmentVariable() {
        let error = usageError(["net", "connect"])

        XCTAssertEqual(
            error,
            .missingRequired(
                flag: "token", environment: "T_TOKEN", path: ["tool", "net", "connect"]))
        XCTAssertTrue(error!.message.contains("or set T_TOKEN"))
    }

    func testARepeatedFlagIsRefused() {
        let error = usageError(["net", "connect", "--token", "a", "--token", "b"])

        XCTAssertEqual(error, .repeatedFlag(flag: "token", path: ["tool", "net", "connect"]))
    }

    func testAPositionalArgumentIsRefused() {
        let error = usageError(["net", "connect", "--token", "a", "stray"])

        XCTAssertEqual(error, .unexpectedArgument("stray", path: ["tool", "net", "connect"]))
    }

    func testAnUnknownCommandIsNamedWithASuggestion() {
        let error = usageError(["net", "conect"])

        XCTAssertEqual(
            error, .unknownCommand("conect", path: ["tool", "net"], suggestion: "connect"))
    }

    func testAGroupWithoutACommandIsAUsageError() {
        XCTAssertEqual(usageError(["net"]), .missingCommand(path: ["tool", "net"]))
        XCTAssertEqual(usageError([]), .missingCommand(path: ["tool"]))
    }

    func testNestedGroupsReachTheirCommands() throws {
        let result = try parser.parse(["net", "nested", "deep"], environment: [:])

        guard case .run(let command, let path, _) = result else {
            return XCTFail("expected a command, got \(result)")
        }
        XCTAssertEqual(command.name, "deep")
        XCTAssertEqual(path, ["tool", "net", "nested", "deep"])
    }

    func testHelpWinsOverMissingRequiredFlagsAndListsEnvAndDefaults() throws {
        let result = try parser.parse(["net", "connect", "-h"], environment: [:])

        guard case .help(let text) = result else { return XCTFail("expected help, got \(result)") }
        XCTAssertTrue(text.contains("Usage: tool net connect [flags]"), text)
        XCTAssertTrue(text.contains("--port N"), text)
        XCTAssertTrue(text.contains("env T_PORT; default 50080"), text)
        XCTAssertTrue(text.contains("env T_TOKEN; required"), text)
        XCTAssertTrue(text.contains("--verbose"), text)
    }

    func testGroupHelpListsSubgroupsAndCommands() throws {
        let result = try parser.parse(["net", "--help"], environment: [:])

        guard case .help(let text) = result else { return XCTFail("expected help, got \(result)") }
        XCTAssertTrue(text.contains("nested"), text)
        XCTAssertTrue(text.contains("connect"), text)
    }

    func testVersionIsOnlyAFlagOfTheTool() throws {
        guard case .version = try parser.parse(["--version"], environment: [:]) else {
            return XCTFail("expected version")
        }
        guard case .unknownFlag("--version", _, _)? = usageError(["net", "--version"]) else {
            return XCTFail("expected --version to be unknown below the top")
        }
    }

    func testTheRunnerMapsUsageErrorsToExitTwoAndFailuresToExitOne() {
        let failing = Command("fail", "Fails.", run: { _ throws(CommandError) in
            throw .failed("it broke")
        })
        let root = CommandGroup("tool", "Tool.", commands: [failing])
        let console = CapturingConsole()

        let usage = Runner.run(["nope"], environment: [:], console: console, root: root)
        let failure = Runner.run(["fail"], environment: [:], console: console, root: root)

        XCTAssertEqual(usage, .usage)
        XCTAssertEqual(failure, .failure)
        XCTAssertEqual(console.errors.last, "error: it broke")
    }

    func testAToolThatIsOneCommandTakesItsFlagsDirectlyAndNamesItselfInErrors() throws {
        let console = CapturingConsole()

        let help = Runner.run(
            ["-h"], environment: [:], console: console, command: connect, program: "connectd")
        let usage = Runner.run(
            ["--token", "t", "--prot", "1"], environment: [:], console: console,
            command: connect, program: "connectd")
        let parsed = try ArgumentParser.parse(
            ["--port", "7"], of: connect, path: ["connectd"], environment: ["T_TOKEN": "t"])

        XCTAssertEqual(help, .ok)
        XCTAssertTrue(console.text.hasPrefix("Usage: connectd [flags]"), console.text)
        XCTAssertEqual(usage, .usage)
        XCTAssertTrue(console.errorText.contains("did you mean '--port'"), console.errorText)
        XCTAssertTrue(console.errorText.contains("Run 'connectd --help'"), console.errorText)
        guard case .run(_, let path, let flags) = parsed else {
            return XCTFail("expected a command to run, got \(parsed)")
        }
        XCTAssertEqual(path, ["connectd"])
        XCTAssertEqual(flags.int("port"), 7)
        XCTAssertEqual(flags.source(of: "token"), .environment("T_TOKEN"))
    }

    func testAFailureCarriesItsOwnExitCode() {
        let usage = Command("usage", "Fails as a usage error.", run: { _ throws(CommandError) in
            throw .failed("wrong key", .usage)
        })
        let root = CommandGroup("tool", "Tool.", commands: [usage])
        let console = CapturingConsole()
        let code = Runner.run(["usage"], environment: [:], console: console, root: root)

        XCTAssertEqual(code, .usage)
        XCTAssertEqual(console.errors.last, "error: wrong key")
    }
}
