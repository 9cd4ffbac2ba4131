import CLICore
import Client
import Foundation
import Server
import Wire
import XCTest

@testable import colonies

/// `colonies worker start` against a real server on a free port: the worker's loop runs in
/// this process, stopped through its handle; one test runs the built binary to check the
/// signals.
final class WorkerTests: XCTestCase {
    // MARK: Running processes

    func testEchoHelloEndsSuccessfulWithHelloAsItsOutput() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        let id = try world.submit("echo", ["hello"])
        let (process, attributes) = try world.final(id)

        XCTAssertEqual(process.state, .successful)
        XCTAssertEqual(attributes.value(.output, "out"), "hello")
        XCTAssertEqual(attributes.value(.output, "exitcode"), "0")
        XCTAssertNil(attributes.value(.error, "err"), "err is added only when not empty")
    }

    func testNonZeroExitFailsTheProcessWithItsExitCodeAndErrorOutput() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        let id = try world.submit("sh", ["-c", "echo oops >&2; exit 3"])
        let (process, attributes) = try world.final(id)

        XCTAssertEqual(process.state, .failed)
        XCTAssertEqual(attributes.value(.output, "exitcode"), "3")
        XCTAssertEqual(attributes.value(.error, "err"), "oops")
        XCTAssertEqual(attributes.value(.output, "out"), "")
    }

    func testTheProgramSeesTheProcessEnvironmentAndArgumentsWithoutAShell() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        // No shell: the `$HOME` and `*` reach echo as they are.
        let literal = try world.submit("echo", ["$HOME", "*"])
        let variable = try world.submit(
            "sh", ["-c", "echo $GREETING"], env: [EnvVar(key: "GREETING", value: "hi")])

        XCTAssertEqual(try world.final(literal).attributes.value(.output, "out"), "$HOME *")
        XCTAssertEqual(try world.final(variable).attributes.value(.output, "out"), "hi")
    }

    func testAMissingExecutableFailsTheProcessWithAnErrSayingSo() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        let id = try world.submit("no-such-program-for-colonies-tests", [])
        let (process, attributes) = try world.final(id)

        XCTAssertEqual(process.state, .failed)
        let err = try XCTUnwrap(attributes.value(.error, "err"))
        XCTAssertTrue(err.contains("executable not found"), err)
        XCTAssertTrue(err.contains("no-such-program-for-colonies-tests"), err)
        XCTAssertEqual(attributes.value(.output, "exitcode"), "127")
    }

    func testOutputOver64KiBIsCutWithTheMarker() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        // 1 to 20000, one per line: 108894 bytes.
        let id = try world.submit("seq", ["1", "20000"])
        let (process, attributes) = try world.final(id)

        XCTAssertEqual(process.state, .successful)
        let out = try XCTUnwrap(attributes.value(.output, "out"))
        XCTAssertLessThanOrEqual(out.utf8.count, Limits.maxAttributeValue)
        XCTAssertGreaterThan(out.utf8.count, Limits.maxAttributeValue - 100)
        XCTAssertTrue(out.hasPrefix("1\n2\n3\n"))
        let marker = AttributeText.cutMarker(total: 108_894)
        XCTAssertTrue(out.hasSuffix(marker), String(out.suffix(80)))
    }

    // MARK: Timeouts

    func testAProgramPastItsTimeoutIsKilledNotClosedAndTheServerRetriesThenFailsIt() throws {
        let world = try WorkerWorld(self)
        try world.startWorker()

        let id = try world.submit("sleep", ["5"], timeout: 1, maxRetries: 1)
        let (process, attributes) = try world.final(id)

        // Assigned twice (the server took it back once), killed twice, closed never.
        XCTAssertEqual(process.state, .failed)
        XCTAssertEqual(process.attempt, 2)
        XCTAssertEqual(process.retries, 1)
        XCTAssertTrue(attributes.isEmpty, "a killed process is not reported: \(attributes)")
        XCTAssertTrue(pollUntil { world.log.count(of: "event=killed-timeout") == 2 })
    }

    // MARK: Concurrency and stopping

    func testConcurrencyTwoRunsTwoProcessesAtOnce() throws {
        let world = try WorkerWorld(self)
        try world.startWorker(concurrency: 2)

        let first = try world.submit("sleep", ["2"])
        let second = try world.submit("sleep", ["2"])

        let bothRunning = try pollUntil { try world.running().count == 2 }
        XCTAssertTrue(bothRunning, "the server never had both running at once")
        XCTAssertEqual(try world.final(first).process.state, .successful)
        XCTAssertEqual(try world.final(second).process.state, .successful)
    }

    func testStoppingFinishesAndReportsTheProcessInHandThenTakesNoMore() throws {
        let world = try WorkerWorld(self)
        let worker = try world.startWorker()

        let id = try world.submit("sleep", ["1"])
        XCTAssertTrue(try pollUntil { try world.running().count == 1 })
        worker.stop()
        worker.waitUntilEnded()

        XCTAssertEqual(try world.process(id).process.state, .successful)
        let later = try world.submit("echo", ["late"])
        XCTAssertEqual(try world.process(later).process.state, .waiting)
    }

    func testKillingEndsTheProcessInHandWithoutClosingIt() throws {
        let world = try WorkerWorld(self)
        let worker = try world.startWorker()

        let id = try world.submit("sleep", ["30"])
        XCTAssertTrue(try pollUntil { try world.running().count == 1 })
        worker.kill()
        worker.waitUntilEnded()

        XCTAssertEqual(try world.process(id).process.state, .running)
        XCTAssertEqual(world.log.count(of: "event=killed "), 1)
    }

    func testTheBuiltWorkerFinishesItsProcessOnSIGINTAndExitsZero() throws {
        let world = try WorkerWorld(self)
        let binary = try world.startBuiltWorker()

        let id = try world.submit("sleep", ["1"])
        XCTAssertTrue(try pollUntil { try world.running().count == 1 })
        kill(binary.process.processIdentifier, SIGINT)
        let log = binary.finish()

        XCTAssertEqual(binary.process.terminationStatus, 0, log)
        XCTAssertEqual(try world.process(id).process.state, .successful, log)
        XCTAssertTrue(log.contains("event=stopping"), log)
    }

    func testTheBuiltWorkerKillsItsProcessOnASecondSignalAndExitsOne() throws {
        let world = try WorkerWorld(self)
        let binary = try world.startBuiltWorker()

        let id = try world.submit("sleep", ["30"])
        XCTAssertTrue(try pollUntil { try world.running().count == 1 })
        kill(binary.process.processIdentifier, SIGINT)
        kill(binary.process.processIdentifier, SIGTERM)
        let log = binary.finish()

        XCTAssertEqual(binary.process.terminationStatus, 1, log)
        XCTAssertTrue(log.contains("event=killing"), log)
        XCTAssertEqual(try world.process(id).process.state, .running, "left to its deadline")
    }

    func testAnUnapprovedRuntimeEndsTheWorkerWithTheReason() throws {
        let world = try WorkerWorld(self)
        _ = try world.client.rejectRuntime(world.workerKey.id, colonyKey: world.colonyKey)
        let worker = try world.startWorker(concurrency: 2)

        worker.waitUntilEnded()

        let failure = try XCTUnwrap(worker.failure)
        XCTAssertTrue(failure.contains("runtime approve"), failure)
    }

    // MARK: Attribute text

    func testACutFallsOnACharacterBoundaryAndEndsWithTheMarker() {
        // Two-byte characters, cut by the capture in the middle of one.
        var capture = OutputCapture(limit: 101)
        capture.append(Array(String(repeating: "é", count: 100).utf8)[...])
        let text = capture.attributeText

        let marker = AttributeText.cutMarker(total: 200)
        XCTAssertTrue(text.hasSuffix(marker))
        XCTAssertLessThanOrEqual(text.utf8.count, 101)
        let fitting = (101 - marker.utf8.count) / 2
        let kept = String(repeating: "é", count: fitting)
        XCTAssertEqual(String(text.dropLast(marker.count)), kept)
    }

    func testInvalidUTF8BecomesReplacementCharactersAndStillFits() {
        let small = AttributeText.make([0x66, 0xFF, 0x67][...], total: 3, limit: 100)
        XCTAssertEqual(small, "f\u{FFFD}g")

        // 60 invalid bytes fit the limit as bytes but not as 3-byte replacements.
        let invalid = [UInt8](repeating: 0xFF, count: 60)
        let grown = AttributeText.make(invalid[...], total: 60, limit: 100)
        XCTAssertLessThanOrEqual(grown.utf8.count, 100)
        XCTAssertTrue(grown.hasPrefix("\u{FFFD}"))
        XCTAssertTrue(grown.hasSuffix(AttributeText.cutMarker(total: 60)))
    }

    func testOnlyOneTrailingNewlineIsRemoved() {
        XCTAssertEqual(AttributeText.make(Array("a\n\n".utf8)[...], total: 3, limit: 100), "a\n")
        XCTAssertEqual(AttributeText.make(Array("a\r\n".utf8)[...], total: 3, limit: 100), "a\r")
        XCTAssertEqual(AttributeText.make([][...], total: 0, limit: 100), "")
    }

    // MARK: Help

    func testTheHelpDocumentsTheCutAndTheSignals() {
        let console = CapturingConsole()
        let code = Runner.run(["worker", "start", "--help"], environment: [:], console: console)

        XCTAssertEqual(code, .ok)
        for phrase in ["64 KiB", "[cut: the output had N bytes]", "--concurrency", "--wait",
                       "SIGTERM", "exitcode", "no shell", "COLONIES_RUNTIME_PRVKEY"] {
            XCTAssertTrue(console.text.contains(phrase), "help lacks \(phrase)")
        }
    }
}

/// The attributes of a process by type and key.
extension [Attribute] {
    fileprivate func value(_ type: AttributeType, _ key: String) -> String? {
        first { $0.type == type && $0.key.string == key }?.value.string
    }
}

/// Checks `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
/// For what the server or the worker does on its own time.
private func pollUntil(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date(timeIntervalSinceNow: seconds)
    while Date() < end {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// Log lines a worker wrote, from any thread.
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var all: [String] { lock.withLock { lines } }

    func count(of text: String) -> Int { all.filter { $0.contains(text) }.count }

    var text: String { all.joined(separator: "\n") }
}

/// The built binary running as a worker.
private struct BuiltWorker {
    let process: Foundation.Process
    let errors: Pipe

    /// Waits for it to exit and returns what it logged.
    func finish() -> String {
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A server on a free port with a temporary data folder, a colony, an approved runtime for
/// the worker and another to submit and look with. Torn down with the test.
private final class WorkerWorld {
    let server: ColoniesServer
    let colonyKey = PrivateKey.generate()
    let workerKey = PrivateKey.generate()
    let submitterKey = PrivateKey.generate()
    let client: ColoniesClient
    let log = LogLines()
    private var workers: [Worker] = []
    private let test: XCTestCase

    init(_ test: XCTestCase) throws {
        self.test = test
        let serverKey = PrivateKey.generate()
        var configuration = ServerConfiguration(serverOwner: serverKey.id)
        configuration.port = 0
        configuration.dataPath = try makeTemporaryFolder(test)
        configuration.logLevel = .warning
        server = try ColoniesServer(configuration: configuration)
        try server.start()
        client = try ColoniesClient(host: "127.0.0.1", port: server.port)

        _ = try client.addColony(Colony(id: colonyKey.id, name: "workers"), serverKey: serverKey)
        for (key, name) in [(workerKey, "worker"), (submitterKey, "submitter")] {
            let runtime = Runtime(
                id: key.id, colonyId: colonyKey.id, name: Text(name), type: "test")
            _ = try client.addRuntime(runtime, colonyKey: colonyKey)
            _ = try client.approveRuntime(key.id, colonyKey: colonyKey)
        }
        test.addTeardownBlock { [self] in tearDown() }
    }

    /// Starts an in-process worker with one-second assigns.
    @discardableResult
    func startWorker(concurrency: Int = 1) throws -> Worker {
        var configuration = WorkerConfiguration(
            host: "127.0.0.1", port: server.port, colonyID: colonyKey.id, runtimeKey: workerKey)
        configuration.waitSeconds = 1
        configuration.concurrency = concurrency
        configuration.environment = ProcessInfo.processInfo.environment
        let lines = log
        let worker = Worker(configuration: configuration, log: WorkerLog { lines.append($0) })
        worker.start()
        workers.append(worker)
        return worker
    }

    /// Starts the built `colonies worker start` with one-second assigns, as the worker.
    func startBuiltWorker() throws -> BuiltWorker {
        let process = Foundation.Process()
        process.executableURL = try BuiltBinary.location()
        process.arguments = ["worker", "start", "--wait", "1"]
        process.environment = [
            "PATH": "/usr/bin:/bin", "COLONIES_SERVER_PORT": "\(server.port)",
            "COLONIES_COLONY_ID": colonyKey.id.hex, "COLONIES_RUNTIME_PRVKEY": workerKey.hex,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        test.addTeardownBlock { if process.isRunning { process.terminate() } }
        return BuiltWorker(process: process, errors: errors)
    }

    func submit(
        _ function: String, _ args: [String], env: [EnvVar] = [], timeout: Int32 = -1,
        maxRetries: Int32 = 0
    ) throws -> ID {
        let spec = ProcessSpec(
            conditions: Conditions(colonyId: colonyKey.id), function: Text(function),
            args: args.map { Text($0) }, env: env, timeout: timeout, maxRetries: maxRetries)
        return try client.submit(spec, runtimeKey: submitterKey).id
    }

    func process(_ id: ID) throws -> (process: Wire.Process, attributes: [Attribute]) {
        try client.getProcess(id, runtimeKey: submitterKey)
    }

    /// The process once it is successful or failed (within 10 s, else the test fails).
    func final(_ id: ID) throws -> (process: Wire.Process, attributes: [Attribute]) {
        let ended = try pollUntil { try process(id).process.state.isFinal }
        XCTAssertTrue(ended, "process \(id.hex) did not end; the worker said:\n" + log.text)
        return try process(id)
    }

    func running() throws -> [Wire.Process] {
        try client.listProcesses(
            colony: colonyKey.id, state: .running, count: 10, runtimeKey: submitterKey
        ).processes
    }

    // Kill first so no program outlives the test, then stop the server so that loops in a
    // waiting assign see the connection close and end at once.
    private func tearDown() {
        for worker in workers { worker.kill() }
        server.shutdown()
        server.waitUntilStopped()
        for worker in workers { worker.waitUntilEnded() }
        if (test.testRun?.totalFailureCount ?? 0) > 0 {
            print("the worker said:\n" + log.text)
        }
    }
}
