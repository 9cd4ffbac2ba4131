import CLICore
import Foundation
import Server
import Wire
import XCTest

@testable import colonies

/// The client commands (colony, runtime, process, attribute) run in-process through
/// `Runner.run` against a real server on a free port, with a private temporary keychain.
final class ClientCommandTests: XCTestCase {
    private let owner = PrivateKey.generate()
    private var server: ColoniesServer?
    private var folder = ""
    private var environment: [String: String] = [:]

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
        let keychain = folder + "/keys"
        try FileManager.default.createDirectory(
            atPath: keychain, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700])

        var configuration = ServerConfiguration(serverOwner: owner.id)
        configuration.port = 0
        configuration.dataPath = folder + "/data"
        configuration.logLevel = .error
        configuration.tickInterval = 20_000_000
        configuration.maximumMapSize = 1 << 30
        let server = try ColoniesServer(configuration: configuration)
        try server.start()
        self.server = server

        environment = [
            "HOME": folder, "COLONIES_KEYCHAIN": keychain,
            "COLONIES_SERVER_HOST": "127.0.0.1", "COLONIES_SERVER_PORT": "\(server.port)",
            "COLONIES_SERVER_PRVKEY": owner.hex,
        ]
    }

    override func tearDown() {
        server?.shutdown()
        server = nil
    }

    // MARK: Running commands

    private struct Run {
        let code: ExitCode
        let output: String
        let errors: String
        let lines: [String]

        /// The output parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(output.utf8), options: .fragmentsAllowed)
        }
    }

    /// Runs `colonies <arguments>` with the test's environment plus `extra` (an empty value
    /// removes a variable).
    private func run(_ arguments: [String], _ extra: [String: String] = [:]) -> Run {
        var env = environment
        for (name, value) in extra { env[name] = value.isEmpty ? nil : value }
        let console = CapturingConsole()
        let code = Runner.run(arguments, environment: env, console: console)
        return Run(
            code: code, output: console.text, errors: console.errorText, lines: console.output)
    }

    /// Runs a command that must succeed and returns what it printed.
    @discardableResult
    private func succeed(
        _ arguments: [String], _ extra: [String: String] = [:], line: UInt = #line
    ) -> Run {
        let result = run(arguments, extra)
        XCTAssertEqual(result.code, .ok, "\(arguments): \(result.errors)", line: line)
        return result
    }

    private func specFile(_ name: String, _ json: String) throws -> String {
        let path = folder + "/" + name
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: A small world: a colony, an approved runtime

    /// Registers a colony and puts its id into the environment of later runs.
    private func registerColony(name: String = "lab-colony") throws -> String {
        let spec = try specFile("colony.json", #"{"name": "\#(name)"}"#)
        let id = succeed(["colony", "register", "--spec", spec]).output
        environment["COLONIES_COLONY_ID"] = id
        return id
    }

    /// Registers a runtime of the current colony, approves it unless told otherwise, and
    /// puts its id into the environment of later runs.
    private func registerRuntime(approve: Bool = true) throws -> String {
        let spec = try specFile("runtime.json", """
            {"name": "edge-node-17", "runtimetype": "raspberry-pi", "cpu": "Cortex-A72",
             "cores": 4, "mem": 3792, "gpu": "", "gpus": 0}
            """)
        let id = succeed(["runtime", "register", "--spec", spec]).output
        if approve { succeed(["runtime", "approve", "--runtimeid", id]) }
        environment["COLONIES_RUNTIME_ID"] = id
        return id
    }

    private func processSpec(priority: Int = 0, extra: String = "") throws -> String {
        try specFile("process_spec.json", """
            {"conditions": {"colonyid": "", "runtimeids": [], "runtimetype": "raspberry-pi",
                            "mem": 512, "cores": 1, "gpus": 0},
             "func": "echo", "args": ["temperature", "21.5"], "env": {"SENSOR": "gh-3"},
             "priority": \(priority), "timeout": 30, "maxwaittime": -1, "maxretries": 3\(extra)}
            """)
    }

    private func submit(priority: Int = 0) throws -> String {
        succeed(["process", "submit", "--spec", try processSpec(priority: priority)]).output
    }

    // MARK: Colonies

    func testColonyRegisterPrintsOnlyTheIDAndSavesTheKeyInTheKeychain() throws {
        let spec = try specFile("colony.json", #"{"name": "lab-colony"}"#)

        let result = succeed(["colony", "register", "--spec", spec])

        XCTAssertEqual(result.lines.count, 1)
        XCTAssertNotNil(ID(hex: result.output), result.output)
        XCTAssertTrue(
            result.errors.contains("export COLONIES_COLONY_ID=\(result.output)"), result.errors)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: environment["COLONIES_KEYCHAIN"]! + "/"
                + result.output))
    }

    func testRegisteredColonyIsListedAndCanBeGotWithItsOwnKey() throws {
        let id = try registerColony()

        let list = succeed(["colony", "ls"])
        let got = succeed(["colony", "get", "--colonyid", id], ["COLONIES_SERVER_PRVKEY": ""])

        XCTAssertEqual(list.lines.first?.split(separator: " ").map(String.init), ["ID", "NAME"])
        XCTAssertTrue(list.lines.contains { $0.hasPrefix(id) && $0.hasSuffix("lab-colony") })
        XCTAssertTrue(got.output.contains(id), got.output)
        XCTAssertTrue(got.output.contains("lab-colony"), got.output)
    }

    func testRemovedColonyIsNoLongerListed() throws {
        let id = try registerColony()

        succeed(["colony", "remove", "--colonyid", id])

        XCTAssertFalse(run(["colony", "ls"]).output.contains(id))
    }

    // MARK: Runtimes

    func testApprovedRuntimeIsListedAsApproved() throws {
        _ = try registerColony()
        let id = try registerRuntime(approve: false)

        let pending = succeed(["runtime", "ls"])
        let approve = succeed(["runtime", "approve", "--runtimeid", id])
        let approved = succeed(["runtime", "ls"])

        XCTAssertTrue(pending.lines.contains { $0.hasPrefix(id) && $0.hasSuffix("pending") })
        XCTAssertEqual(approve.output, "runtime \(id) is approved")
        let row = try XCTUnwrap(approved.lines.first { $0.hasPrefix(id) })
        XCTAssertEqual(
            row.split(separator: " ").map(String.init),
            [id, "edge-node-17", "raspberry-pi", "4", "3792", "MiB", "0", "approved"])
    }

    func testRejectedRuntimeMayNotSubmit() throws {
        _ = try registerColony()
        let id = try registerRuntime()
        succeed(["runtime", "reject", "--runtimeid", id])

        let refused = run(["process", "submit", "--spec", try processSpec()])

        XCTAssertEqual(refused.code, .failure)
        XCTAssertTrue(refused.errors.contains("runtime-not-approved"), refused.errors)
    }

    // MARK: Processes

    func testProcessGoesFromWaitingToRunningToSuccessfulInTheListings() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()

        let waiting = succeed(["process", "psw"])
        let assigned = succeed(["process", "assign"])
        let running = succeed(["process", "ps"])
        succeed(["process", "successful", "--processid", id])
        let successful = succeed(["process", "pss"])

        XCTAssertTrue(waiting.lines.contains { $0.hasPrefix(id) && $0.contains("waiting") })
        XCTAssertEqual(assigned.output, "\(id) 1")
        XCTAssertTrue(running.lines.contains { $0.hasPrefix(id) && $0.contains("running") })
        XCTAssertTrue(successful.lines.contains { $0.hasPrefix(id) && $0.contains("successful") })
        XCTAssertEqual(run(["process", "psw"]).output, "")
    }

    func testFailedProcessIsListedByPsf() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()
        succeed(["process", "assign"])

        succeed(["process", "failed", "--processid", id, "--attempt", "1"])

        XCTAssertTrue(succeed(["process", "psf"]).lines.contains { $0.hasPrefix(id) })
    }

    func testClosingUnderAStaleAttemptIsRefused() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()
        succeed(["process", "assign"])

        let refused = run(["process", "successful", "--processid", id, "--attempt", "7"])

        XCTAssertEqual(refused.code, .failure)
        XCTAssertTrue(refused.errors.contains("stale-attempt"), refused.errors)
    }

    func testListingMoreThanCountSaysMore() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        for _ in 0..<3 { _ = try submit() }

        let listed = succeed(["process", "psw", "--count", "2"])

        XCTAssertEqual(listed.lines.count, 4)
        XCTAssertEqual(listed.lines.last, "more...")
    }

    func testAssignWithNothingWaitingPrintsNothingAndExitsZero() throws {
        _ = try registerColony()
        _ = try registerRuntime()

        let text = succeed(["process", "assign"])
        let json = succeed(["process", "assign", "--json"])

        XCTAssertEqual(text.output, "")
        XCTAssertTrue(text.errors.contains("no process was assigned"), text.errors)
        XCTAssertTrue(try json.json() is NSNull)
    }

    func testProcessGetShowsItsFieldsAndAttributes() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()
        succeed(["process", "assign"])
        succeed(["attribute", "add", "--processid", id, "--key", "result", "--value", "42"])

        let got = succeed(["process", "get", "--processid", id])

        XCTAssertTrue(got.lines.contains { $0.hasPrefix("ID:") && $0.hasSuffix(id) })
        XCTAssertTrue(got.lines.contains { $0.hasPrefix("Args:") && $0.hasSuffix("21.5") })
        XCTAssertTrue(got.lines.contains { $0.contains("out") && $0.contains("result") })
    }

    func testWatchingAProcessEndsWhenItSucceeds() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()
        let env = environment
        let console = LockedConsole()
        let finished = DispatchSemaphore(value: 0)
        let watcher = Thread {
            _ = Runner.run(["process", "watch", "--processid", id], environment: env,
                console: console)
            finished.signal()
        }
        watcher.start()

        succeed(["process", "assign"])
        succeed(["process", "successful", "--processid", id])

        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success, "watch did not end")
        let (output, errors) = console.lines
        XCTAssertTrue(output.last?.contains(" successful 1 ") == true, "\(output)")
        XCTAssertEqual(errors, [])
    }

    // MARK: Attributes

    func testAddedAttributeCanBeGotByItsID() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        let id = try submit()
        succeed(["process", "assign"])

        let added = succeed([
            "attribute", "add", "--processid", id, "--key", "stderr-tail", "--value",
            "line one\nline two", "--type", "err",
        ])
        let got = succeed(["attribute", "get", "--attributeid", added.output])

        XCTAssertNotNil(ID(hex: added.output), added.output)
        XCTAssertTrue(got.lines.contains { $0.hasPrefix("Type:") && $0.hasSuffix("err") })
        XCTAssertEqual(Array(got.lines.suffix(2)), ["  line one", "  line two"])
    }

    func testAttributeWithAnUnknownTypeIsAUsageError() throws {
        let result = run([
            "attribute", "add", "--processid", String(repeating: "a", count: 64), "--key", "k",
            "--value", "v", "--type", "stdout",
        ])

        XCTAssertEqual(result.code, .usage)
        XCTAssertTrue(result.errors.contains("--type"), result.errors)
    }

    // MARK: Statistics

    func testStatsCountProcessesByStateWithTheRuntimeOrTheColonyKey() throws {
        _ = try registerColony()
        _ = try registerRuntime()
        _ = try submit()
        _ = try submit()
        succeed(["process", "assign"])

        let asRuntime = succeed(["process", "stats"])
        let asColony = succeed(["process", "stats"], ["COLONIES_RUNTIME_ID": ""])

        XCTAssertTrue(asRuntime.lines.contains { $0.hasPrefix("Runtimes:") && $0.hasSuffix(
            "1 (1 approved)") }, asRuntime.output)
        let counts = asRuntime.lines.compactMap { line -> [String]? in
            let words = line.split(separator: " ").map(String.init)
            return ["waiting", "running", "successful", "failed"].contains(words.first ?? "")
                ? Array(words.prefix(2)) : nil
        }
        XCTAssertEqual(
            counts, [["waiting", "1"], ["running", "1"], ["successful", "0"], ["failed", "0"]])
        XCTAssertEqual(asColony.output, asRuntime.output)
    }

    // MARK: Spec files

    func testUnknownFieldInTheSpecIsNamed() throws {
        _ = try registerColony()
        _ = try registerRuntime()

        let result = run(["process", "submit", "--spec", try processSpec(extra: #", "fucn": 1"#)])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("unknown field 'fucn'"), result.errors)
    }

    func testFieldOfTheWrongTypeIsNamed() throws {
        let spec = try specFile("runtime.json", #"{"name": "n", "runtimetype": "t", "mem": "1G"}"#)

        let colony = PrivateKey.generate().id.hex
        let result = run(["runtime", "register", "--spec", spec], ["COLONIES_COLONY_ID": colony])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("field 'mem' must be an integer"), result.errors)
    }

    func testPriorityOutOfRangeIsNamedWithItsRange() throws {
        _ = try registerColony()
        _ = try registerRuntime()

        let result = run(["process", "submit", "--spec", try processSpec(priority: 1001)])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("field 'priority'"), result.errors)
        XCTAssertTrue(result.errors.contains("-1000...1000"), result.errors)
    }

    func testNameAgainstTheProtocolsRuleIsNamedBeforeAnythingIsSaved() throws {
        let spec = try specFile("colony.json", #"{"name": "my colony"}"#)

        let result = run(["colony", "register", "--spec", spec])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("field 'name' must be 1 to 64"), result.errors)
        let keys = try FileManager.default.contentsOfDirectory(
            atPath: environment["COLONIES_KEYCHAIN"]!)
        XCTAssertEqual(keys, [])
    }

    // MARK: Refusals

    func testCallSignedByAnUnknownKeyExitsOneAndSaysTheKeyIsNotRegistered() throws {
        let result = run(["colony", "ls"], ["COLONIES_SERVER_PRVKEY": PrivateKey.generate().hex])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("listing colonies"), result.errors)
        XCTAssertTrue(result.errors.contains("not registered on this server"), result.errors)
    }

    func testSubmitByAPendingRuntimeExitsOneAndSaysHowToApproveIt() throws {
        _ = try registerColony()
        _ = try registerRuntime(approve: false)

        let result = run(["process", "submit", "--spec", try processSpec()])

        XCTAssertEqual(result.code, .failure)
        XCTAssertEqual(result.output, "")
        XCTAssertTrue(result.errors.contains("runtime-not-approved"), result.errors)
        XCTAssertTrue(result.errors.contains("colonies runtime approve"), result.errors)
    }

    func testRefusedColonyRegistrationLeavesNoKeyBehind() throws {
        let spec = try specFile("colony.json", #"{"name": "lab"}"#)

        let result = run(
            ["colony", "register", "--spec", spec],
            ["COLONIES_SERVER_PRVKEY": PrivateKey.generate().hex])

        XCTAssertEqual(result.code, .failure)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: environment["COLONIES_KEYCHAIN"]!),
            [])
    }

    func testUnreachableServerSaysHowToPointAtOne() throws {
        let result = run(["colony", "ls"], ["COLONIES_SERVER_PORT": "1"])

        XCTAssertEqual(result.code, .failure)
        XCTAssertTrue(result.errors.contains("--host/--port"), result.errors)
    }

    // MARK: JSON

    func testJSONOutputsParseAndHoldFullIDs() throws {
        let colonySpec = try specFile("colony.json", #"{"name": "lab"}"#)
        let colony = try succeed(["colony", "register", "--spec", colonySpec, "--json"]).json()
        let colonyID = try XCTUnwrap((colony as? [String: Any])?["colonyid"] as? String)
        environment["COLONIES_COLONY_ID"] = colonyID
        let runtimeID = try registerRuntime()
        let processID = try submit(priority: 5)

        let colonies = try succeed(["colony", "ls", "--json"]).json() as? [[String: Any]]
        let runtimes = try succeed(["runtime", "ls", "--json"]).json() as? [[String: Any]]
        let waiting = try succeed(["process", "psw", "--json"]).json() as? [String: Any]
        let process = try succeed(["process", "get", "--processid", processID, "--json"]).json()
        let stats = try succeed(["process", "stats", "--json"]).json() as? [String: Any]

        XCTAssertEqual(colonies?.first?["colonyid"] as? String, colonyID)
        XCTAssertEqual(runtimes?.first?["runtimeid"] as? String, runtimeID)
        XCTAssertEqual(runtimes?.first?["state"] as? String, "approved")
        XCTAssertEqual(waiting?["truncated"] as? Bool, false)
        let object = try XCTUnwrap(process as? [String: Any])
        let spec = try XCTUnwrap(object["spec"] as? [String: Any])
        XCTAssertEqual(object["processid"] as? String, processID)
        XCTAssertEqual(spec["priority"] as? Int, 5)
        XCTAssertEqual(spec["env"] as? [String: String], ["SENSOR": "gh-3"])
        XCTAssertTrue(object["startedat"] is NSNull)
        XCTAssertTrue((object["submittedat"] as? String)?.hasSuffix("Z") == true)
        XCTAssertEqual((stats?["waiting"] as? [String: Any])?["count"] as? Int, 1)
    }
}

/// A console another thread may write to while the test waits.
private final class LockedConsole: Console, @unchecked Sendable {
    private let lock = NSLock()
    private var output: [String] = []
    private var errors: [String] = []

    func write(_ line: String) { lock.withLock { output.append(line) } }
    func writeError(_ line: String) { lock.withLock { errors.append(line) } }

    var lines: (output: [String], errors: [String]) { lock.withLock { (output, errors) } }
}
