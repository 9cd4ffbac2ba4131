import Client
import Foundation
import Wire
import XCTest

/// The main job, with the built `colonies` binary only, as a user runs it: a server on a
/// free port with a temporary data folder, a colony, a runtime, approval, a worker, and
/// processes that succeed, fail, and time out.
final class EndToEndTests: XCTestCase {
    private var folder = ""
    private var environment: [String: String] = [:]
    private var children: [Foundation.Process] = []

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
        let keys = folder + "/keys"
        try FileManager.default.createDirectory(
            atPath: keys, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o700])
        environment = [
            "COLONIES_KEYCHAIN": keys,
            "COLONIES_SERVER_PORT": String(try freePort()),
            "PATH": "/usr/bin:/bin",
        ]
    }

    override func tearDown() {
        for child in children where child.isRunning {
            child.terminate()
            child.waitUntilExit()
        }
    }

    /// Runs a command to its end and returns its standard output, trimmed.
    @discardableResult
    private func colonies(_ arguments: String...) throws -> String {
        let run = try BuiltBinary.run(arguments, environment: environment)
        XCTAssertEqual(
            run.status, 0, "colonies \(arguments.joined(separator: " ")): \(run.errors)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts a long-running command (server, worker) in the background.
    private func background(_ arguments: String...) throws -> Foundation.Process {
        let child = Foundation.Process()
        child.executableURL = try BuiltBinary.location()
        child.arguments = arguments
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try child.run()
        children.append(child)
        return child
    }

    private func waitForServer() throws {
        for _ in 0..<100 {
            if (try? BuiltBinary.run(["server", "ping"], environment: environment))?.status == 0 {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("the server did not answer a ping within 10 s")
    }

    private func writeSpec(_ name: String, _ json: String) throws -> String {
        let path = folder + "/" + name
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEchoSucceedsAnExitCodeFailsAndASleepIsRetriedThenFails() throws {
        let serverKey = try colonies("security", "generate")
        environment["COLONIES_SERVER_PRVKEY"] = serverKey
        _ = try background("server", "start", "--data", folder + "/data")
        try waitForServer()

        let colonySpec = try writeSpec("colony.json", #"{"name": "e2e"}"#)
        let runtimeSpec = try writeSpec(
            "runtime.json",
            #"{"name": "w1", "runtimetype": "shell", "cpu": "", "cores": 2, "mem": 1024, "gpu": "", "gpus": 0}"#)
        environment["COLONIES_COLONY_ID"] = try colonies("colony", "register", "--spec", colonySpec)
        let runtimeID = try colonies("runtime", "register", "--spec", runtimeSpec)
        environment["COLONIES_RUNTIME_ID"] = runtimeID
        try colonies("runtime", "approve", "--runtimeid", runtimeID)
        _ = try background("worker", "start", "--wait", "1")

        func submit(_ function: String, _ args: [String], timeout: Int = -1, retries: Int = 0)
            throws -> String
        {
            let argsJSON = args.map { "\"\($0)\"" }.joined(separator: ", ")
            let spec = try writeSpec(
                "p\(UUID().uuidString).json",
                """
                {"conditions": {"runtimetype": "shell"}, "func": "\(function)",
                 "args": [\(argsJSON)], "timeout": \(timeout), "maxretries": \(retries)}
                """)
            return try colonies("process", "submit", "--spec", spec)
        }

        let echo = try submit("echo", ["hello"])
        let exit3 = try submit("sh", ["-c", "exit 3"])
        let sleeper = try submit("sleep", ["30"], timeout: 1, retries: 1)

        // Read the outcome through the client library, as the runtime.
        let key = try keyFromKeychain(runtimeID)
        let client = try ColoniesClient(
            host: "127.0.0.1", port: UInt16(environment["COLONIES_SERVER_PORT"]!)!)
        func final(_ id: String, within seconds: Double) throws -> (Wire.Process, [Attribute]) {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let got = try client.getProcess(ID(hex: id)!, runtimeKey: key)
                if got.process.state.isFinal || Date() > deadline { return got }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        func value(_ attributes: [Attribute], _ key: String) -> String? {
            attributes.first { $0.key.string == key }?.value.string
        }

        let (echoed, echoAttributes) = try final(echo, within: 20)
        XCTAssertEqual(echoed.state, .successful)
        XCTAssertEqual(value(echoAttributes, "out"), "hello")

        let (failed, failedAttributes) = try final(exit3, within: 20)
        XCTAssertEqual(failed.state, .failed)
        XCTAssertEqual(value(failedAttributes, "exitcode"), "3")

        let (slept, _) = try final(sleeper, within: 30)
        XCTAssertEqual(slept.state, .failed)
        XCTAssertEqual(slept.retries, 1, "taken back once, then failed")
        XCTAssertEqual(slept.attempt, 2, "handed out twice")

        // The CLI lists it among the failed processes.
        XCTAssertTrue(try colonies("process", "psf").contains(sleeper))
    }

    func testStoreCheckPassesOnTheFolderOfAKilledServer() throws {
        let serverKey = PrivateKey.generate()
        environment["COLONIES_SERVER_PRVKEY"] = serverKey.hex
        let server = try background("server", "start", "--data", folder + "/data")
        try waitForServer()

        // Pipeline writes so that some are in flight when the server dies.
        let client = try ColoniesClient(
            host: "127.0.0.1", port: UInt16(environment["COLONIES_SERVER_PORT"]!)!)
        let colony = PrivateKey.generate()
        _ = try client.addColony(Colony(id: colony.id, name: "crash"), serverKey: serverKey)
        let runtime = PrivateKey.generate()
        _ = try client.addRuntime(
            Runtime(id: runtime.id, colonyId: colony.id, name: "r", type: "t"), colonyKey: colony)
        _ = try client.approveRuntime(runtime.id, colonyKey: colony)
        let spec = ProcessSpec(conditions: Conditions(colonyId: colony.id), function: "true")
        for _ in 0..<300 { try client.send(.submitProcess(spec), key: runtime) }
        for _ in 0..<100 { _ = try client.receive() }

        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()

        let check = try BuiltBinary.run(
            ["store", "check", "--data", folder + "/data"], environment: environment)
        XCTAssertEqual(check.status, 0, check.output + check.errors)
        XCTAssertTrue(check.output.contains("ok"), check.output)
    }

    private func keyFromKeychain(_ id: String) throws -> PrivateKey {
        // A plain keychain file: {"version": 1, "form": "plain", "id": ..., "prvkey": ...}.
        let path = environment["COLONIES_KEYCHAIN"]! + "/" + id
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try PrivateKey(hex: try XCTUnwrap(object["prvkey"] as? String))
    }
}
