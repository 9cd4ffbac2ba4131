import Foundation
import Glibc
import Wire

/// A `colonies-server` child process on a free loopback port, so that its resident memory
/// is the server's alone and the generator's threads are not counted in it.
final class ServerChild {
    let port: UInt16
    let dataPath: String
    private let process: Foundation.Process

    var pid: Int32 { process.processIdentifier }

    /// The server's resident memory in KiB, nil once it has exited.
    var residentKilobytes: Int? { ProcessResources.residentKilobytes(pid: pid) }

    /// Starts the `colonies-server` executable `binary` on `dataPath` (which it creates if
    /// missing) and waits until it answers with a hello.
    init(
        binary: String, owner: ID, dataPath: String, durable: Bool = true,
        maxConnections: Int = 20_000
    ) throws(BenchError) {
        port = try BenchSocket.freePort()
        self.dataPath = dataPath
        process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = [
            "--host", "127.0.0.1", "--port", String(port),
            "--data", dataPath, "--serverid", owner.hex, "--log-level", "error",
            "--max-connections", String(maxConnections),
        ]
        if !durable { arguments.append("--unsafe-no-sync") }
        process.arguments = arguments
        // The flags say everything; no COLONIES_* setting of the caller may change them.
        process.environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("COLONIES_")
        }
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .child("cannot start \(binary): \(error)")
        }
        try waitUntilServing()
    }

    deinit { stop() }

    private func waitUntilServing() throws(BenchError) {
        let deadline = MonotonicTime.now() + 20_000_000_000
        while MonotonicTime.now() < deadline {
            guard process.isRunning else {
                throw .child("exited with status \(process.terminationStatus) while starting")
            }
            if (try? LoadConnection(host: "127.0.0.1", port: port, milliseconds: 1000)) != nil {
                return
            }
            usleep(20_000)
        }
        stop()
        throw .child("did not accept connections within 20 s")
    }

    /// Asks the server to stop (SIGTERM: it drains and closes the store) and waits for it;
    /// kills it after 30 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = MonotonicTime.now() + 30_000_000_000
        while process.isRunning && MonotonicTime.now() < deadline { usleep(10_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// Where `colonies-server` is when it was built with this `colonies`: `swift build` puts
    /// both in one folder. Nil when this executable's path cannot be read.
    static func leanServerBesideThisExecutable() -> String? {
        guard
            let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return nil }
        return URL(fileURLWithPath: own).deletingLastPathComponent()
            .appendingPathComponent("colonies-server").path
    }
}

/// A temporary data folder for the child servers, removed by `remove()`.
struct BenchDataFolder {
    let path: String

    init() throws(BenchError) {
        path = NSTemporaryDirectory() + "colonies-bench-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .setup("cannot create \(path): \(error)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
