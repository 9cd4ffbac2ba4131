import Foundation
import XCTest

/// The built `colonies-server`: the server alone, with the flags of `colonies server start`,
/// no Foundation and the Swift runtime linked in.
final class LeanServerTests: XCTestCase {
    private let ownerID = "4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87"

    /// The lines of a help text from its "Flags:" line on.
    private func flagLines(_ help: String) -> [Substring] {
        let lines = help.split(separator: "\n")
        return Array(lines.drop { $0 != "Flags:" })
    }

    func testHelpListsTheSameFlagsAsServerStart() throws {
        let lean = try BuiltBinary.run(["--help"], binary: "colonies-server")
        let tool = try BuiltBinary.run(["server", "start", "--help"])

        XCTAssertEqual(lean.status, 0, lean.errors)
        XCTAssertTrue(lean.output.hasPrefix("Usage: colonies-server [flags]"), lean.output)
        XCTAssertTrue(lean.output.contains("COLONIES_SERVER_PRVKEY"), lean.output)
        XCTAssertFalse(flagLines(lean.output).isEmpty, lean.output)
        XCTAssertEqual(flagLines(lean.output), flagLines(tool.output))
    }

    func testAnUnknownFlagIsAUsageErrorThatPointsAtItsHelp() throws {
        let run = try BuiltBinary.run(["--prot", "1"], binary: "colonies-server")

        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.output, "")
        XCTAssertTrue(run.errors.contains("unknown flag '--prot'"), run.errors)
        XCTAssertTrue(run.errors.contains("did you mean '--port'"), run.errors)
        XCTAssertTrue(run.errors.contains("Run 'colonies-server --help'"), run.errors)
    }

    func testABadEnvironmentValueNamesTheVariable() throws {
        let run = try BuiltBinary.run(
            ["--serverid", ownerID], environment: ["COLONIES_SERVER_PORT": "http"],
            binary: "colonies-server")

        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.errors.contains("COLONIES_SERVER_PORT"), run.errors)
    }

    func testWithoutAnOwnerItSaysHowToNameOne() throws {
        let run = try BuiltBinary.run([], binary: "colonies-server")

        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.errors.contains("--serverid or COLONIES_SERVER_ID"), run.errors)
    }

    func testItServesFromTheEnvironmentAndStopsCleanlyOnSIGTERM() throws {
        let folder = try makeTemporaryFolder(self)
        let port = String(try freePort())
        let server = Process()
        server.executableURL = try BuiltBinary.location(of: "colonies-server")
        server.arguments = []
        server.environment = [
            "COLONIES_SERVER_PORT": port, "COLONIES_DATA": folder + "/data",
            "COLONIES_SERVER_ID": ownerID, "COLONIES_LOG_LEVEL": "error",
        ]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        var pong: BinaryRun?
        for _ in 0..<100 where pong?.status != 0 {
            pong = try BuiltBinary.run(["server", "ping", "--port", port, "--json"])
            if pong?.status != 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertEqual(pong?.status, 0, pong?.errors ?? "")
        XCTAssertTrue(pong?.output.contains(ownerID) ?? false, pong?.output ?? "")

        // What the lean build is for: neither Foundation nor the shared Swift runtime loaded.
        let maps = try String(
            contentsOfFile: "/proc/\(server.processIdentifier)/maps", encoding: .utf8)
        XCTAssertFalse(maps.contains("libFoundation"), "Foundation is mapped")
        XCTAssertFalse(maps.contains("libswiftCore"), "the shared Swift runtime is mapped")

        server.terminate()
        server.waitUntilExit()
        XCTAssertEqual(server.terminationReason, .exit)
        XCTAssertEqual(server.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/data"))
    }
}
