import Foundation
import Wire
import XCTest

@testable import Store

/// Kills a writer (`store-bench crash-writer DIR`) with SIGKILL at random moments and checks
/// that the folder reopens consistent, holding every submission the writer had reported as
/// durable.
final class CrashRecoveryTests: StoreTestCase {
    func testAWriterKilledMidCommitLeavesAConsistentStoreWithEveryAcknowledgedSubmit() throws {
        let writer = try XCTUnwrap(Self.writerPath(), "build the store-bench executable first")
        let seed = UInt64.random(in: 0...UInt64.max)
        print("CrashRecoveryTests seed: \(seed)")
        var random = SplitMix64(seed: seed)
        var acknowledged: [ID] = []

        for round in 0..<3 {
            let delay = UInt32.random(in: 20_000...400_000, using: &random)
            let lines = try runAndKill(writer, afterMicroseconds: delay)
            acknowledged += lines.compactMap(Self.acknowledgedID)
            print("round \(round): killed \(delay) µs after the first ack; \(lines.count) acks")

            let store = try ColonyStore(path: folder)
            defer { store.close() }
            let report = try store.check()
            XCTAssertTrue(report.passed, "seed \(seed), round \(round): \(report.problems)")
            for id in acknowledged where try store.process(id) == nil {
                XCTFail("seed \(seed), round \(round): acknowledged \(id.hex) is missing")
            }
        }
        XCTAssertGreaterThan(acknowledged.count, 0, "seed \(seed): the writer acknowledged nothing")
    }

    /// Starts the writer on the test folder, waits for its first acknowledgement, lets it run
    /// `delay` more microseconds, kills it, and returns every complete line it printed.
    private func runAndKill(_ writer: String, afterMicroseconds delay: UInt32) throws -> [String] {
        let child = Foundation.Process()
        child.executableURL = URL(fileURLWithPath: writer)
        child.arguments = ["crash-writer", folder]
        let output = Pipe()
        child.standardOutput = output
        try child.run()

        let collected = Locked(Data())
        let reader = Thread {
            // Reads until the pipe closes, which the kill causes.
            while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty {
                collected.update { $0.append(chunk) }
            }
        }
        reader.start()

        let started = Date()
        while collected.current.isEmpty && Date().timeIntervalSince(started) < 5 {
            usleep(1_000)
        }
        usleep(delay)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }

        let text = String(decoding: collected.current, as: UTF8.self)
        // A line cut by the kill has no newline yet: it was not acknowledged.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.dropLast().map(String.init)
    }

    private static func acknowledgedID(_ line: String) -> ID? {
        guard line.hasPrefix("ack ") else { return nil }
        return ID(hex: String(line.dropFirst(4)))
    }

    /// The store-bench binary beside this test bundle, where SwiftPM builds both.
    private static func writerPath() -> String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = bundle.appendingPathComponent("store-bench").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}
