import CLICore
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

/// Runs the built `colonies` executable (or `colonies-server`), which SwiftPM puts in the
/// same products folder as the test bundle.
enum BuiltBinary {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        let folders: [String]
        var description: String { "no built \(name) binary in \(folders); run swift build" }
    }

    static func location(of name: String = "colonies") throws -> URL {
        var folders = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        folders.append(Bundle.main.bundleURL)
        if let runner = Bundle.main.executableURL {
            folders.append(runner.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing(name: name, folders: folders.map(\.path))
    }

    /// Runs the binary with `arguments` and an environment holding only PATH, HOME and
    /// `environment`, so that the caller's COLONIES_* variables cannot leak in.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], binary: String = "colonies"
    ) throws -> BinaryRun {
        let process = Process()
        process.executableURL = try location(of: binary)
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

/// A TCP port on loopback that nothing listens on at the moment of asking.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length)
            return getsockname(fd, $0, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
