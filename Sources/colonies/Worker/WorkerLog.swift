import CLICore
import Foundation

/// The worker's log: one line per event on standard error,
/// `time event=name key=value ...`, values with spaces or quotes quoted. Safe to use from
/// every loop's thread.
final class WorkerLog: @unchecked Sendable {
    private let lock = NSLock()
    private let write: (String) -> Void
    private let formatter: ISO8601DateFormatter

    /// Writes lines with `write`, one call per line, never two at once.
    init(write: @escaping (String) -> Void) {
        self.write = write
        formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    /// Writes to the console's standard error.
    convenience init(console: Console) {
        self.init(write: { console.writeError($0) })
    }

    func event(_ name: String, _ fields: KeyValuePairs<String, String> = [:]) {
        var line = "event=" + name
        for (key, value) in fields { line += " " + key + "=" + Self.quoted(value) }
        lock.lock()
        defer { lock.unlock() }
        write(formatter.string(from: Date()) + " " + line)
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" }
            && !value.contains(where: \.isNewline)
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"" + escaped + "\""
    }
}
