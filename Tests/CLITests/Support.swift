import Foundation
import XCTest

@testable import colonies

/// Collects what a command writes, for in-process runs.
final class CapturingConsole: Console {
    private(set) var output: [String] = []
    private(set) var errors: [String] = []

    func write(_ line: String) { output.append(line) }
    func writeError(_ line: String) { errors.append(line) }

    var text: String { output.joined(separator: "\n") }
    var errorText: String { errors.joined(separator: "\n") }
}

/// A folder under the system's temporary folder, removed when the test ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "cli-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// The permission bits of a file.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// What one run of the built `colonies` binary did.
struct BinaryRun {
    let status: Int32
    let output: String
    let errors: String
}

/// Runs the built `colonies` executable, which SwiftPM puts in the same products folder as
/// the test bundle.
enum BuiltBinary {
    struct Missing: Error, CustomStringConvertible {
        let folders: [String]
        var description: String { "no built colonies binary in \(folders); run swift build" }
    }

    static func location() throws -> URL {
        var folders = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        folders.append(Bundle.main.bundleURL)
        if let runner = Bundle.main.executableURL {
            folders.append(runner.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("colonies")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing(folders: folders.map(\.path))
    }

    /// Runs the binary with `arguments` and an environment holding only PATH, HOME and
    /// `environment`, so that the caller's COLONIES_* variables cannot leak in.
    static func run(
        _ arguments: [String], environment: [String: String] = [:]
    ) throws -> BinaryRun {
        let process = Process()
        process.executableURL = try location()
        process.arguments = arguments
        var base = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory() + "cli-tests-home"]
        base.merge(environment) { _, new in new }
        process.environment = base

        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()

        // Read both pipes to their end before waiting, so a full pipe cannot stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRun(
            status: process.terminationStatus,
            output: String(decoding: outData, as: UTF8.self),
            errors: String(decoding: errData, as: UTF8.self))
    }
}
