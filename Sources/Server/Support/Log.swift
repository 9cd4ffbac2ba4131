import Wire
import Glibc

/// How much the server says. The default, `info`, logs start, stop, and events an operator
/// acts on (rule violations, re-assignments, connection errors); never one line per request.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug = 0
    case info = 1
    case warning = 2
    case error = 3

    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// One line per event on standard error: `time level event=name key=value ...`.
/// Values with spaces or quotes are quoted, so every line splits the same way.
public struct Log: Sendable {
    public let level: LogLevel

    public init(level: LogLevel) {
        self.level = level
    }

    public func debug(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.debug, event, fields)
    }

    public func info(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.info, event, fields)
    }

    public func warning(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.warning, event, fields)
    }

    public func error(_ event: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.error, event, fields)
    }

    private func write(
        _ at: LogLevel, _ event: String, _ fields: KeyValuePairs<String, String>
    ) {
        guard at >= level else { return }
        var line = "\(Self.timestamp()) \(at.name) event=\(event)"
        for (key, value) in fields {
            line += " \(key)=\(Self.quoted(value))"
        }
        line += "\n"
        // One write call per line, so lines from several threads never interleave.
        _ = line.utf8CString.withUnsafeBufferPointer { buf in
            Glibc.write(2, buf.baseAddress, buf.count - 1)
        }
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 != 0x22 && $0 < 0x7f }
        if plain { return value }
        var out = "\""
        for ch in value.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// UTC time as 2026-12-03T19:20:01.123Z.
    private static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = Int(ts.tv_nsec / 1_000_000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}

/// Short forms of ids for log lines: the first 12 hex digits identify an object in practice.
extension ID {
    var short: String { String(hex.prefix(12)) }
}
