import Glibc

/// A command a user can run: `colonies security id`, `colonies server start`.
///
/// Commands are plain values; a file under the tool's Commands/ builds them and groups them
/// in a `CommandGroup`, and `CommandGroup.root` lists the groups. A tool that is one command
/// (`colonies-server`) runs it with `Runner.run(_:environment:console:command:)`.
public struct Command: Sendable {
    /// The word that names the command: `start`.
    public let name: String
    /// One line, shown in the group's command list and at the top of the command's help.
    public let summary: String
    /// Further paragraphs of help, if any.
    public let details: String?
    /// The flags it accepts, in the order its help lists them.
    public let flags: [Flag]
    /// What it does, given its parsed flags.
    public let run: @Sendable (Invocation) throws(CommandError) -> Void

    public init(
        _ name: String, _ summary: String, details: String? = nil, flags: [Flag] = [],
        run: @escaping @Sendable (Invocation) throws(CommandError) -> Void
    ) {
        precondition(Set(flags.map(\.name)).count == flags.count, "\(name): duplicate flag")
        self.name = name
        self.summary = summary
        self.details = details
        self.flags = flags
        self.run = run
    }
}

/// A named set of commands and further groups: `colonies security ...`.
public struct CommandGroup: Sendable {
    /// The word that names the group; the top group's name is the program's.
    public let name: String
    /// One line, shown in the parent's list and at the top of the group's help.
    public let summary: String
    public let groups: [CommandGroup]
    public let commands: [Command]

    public init(
        _ name: String, _ summary: String, groups: [CommandGroup] = [], commands: [Command] = []
    ) {
        let names = groups.map(\.name) + commands.map(\.name)
        precondition(Set(names).count == names.count, "\(name): duplicate command name")
        self.name = name
        self.summary = summary
        self.groups = groups
        self.commands = commands
    }
}

/// Where a command writes. Tests capture it; the tool writes to stdout and stderr.
public protocol Console: AnyObject {
    /// Writes one line (a newline is added) of the command's result to standard output.
    func write(_ line: String)
    /// Writes one line of diagnostics to standard error.
    func writeError(_ line: String)
}

/// The process's standard output and standard error.
public final class StandardConsole: Console {
    public init() {}

    public func write(_ line: String) {
        print(line)
    }

    // Straight to file descriptor 2, unbuffered, as stderr is.
    public func writeError(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// One run of a command: its parsed flags and the world it runs in.
public struct Invocation {
    /// The words that named the command, starting with the program name.
    public let path: [String]
    public let flags: ParsedFlags
    public let environment: [String: String]
    public let console: Console

    public init(
        path: [String], flags: ParsedFlags, environment: [String: String], console: Console
    ) {
        self.path = path
        self.flags = flags
        self.environment = environment
        self.console = console
    }

    /// A usage error about this command's flag `flag`.
    public func invalid(_ flag: String, _ reason: String) -> CommandError {
        .usage(.invalidValue(flag: flag, reason: reason, path: path))
    }
}

/// How the tool ends.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    /// The command was understood but failed: a file, the keychain or the server said no.
    case failure = 1
    /// The command line or environment was wrong; nothing was done.
    case usage = 2
}

/// Why a command did not succeed.
public enum CommandError: Error {
    case usage(UsageError)
    /// Any other failure, already phrased for the user, and how the tool ends because of
    /// it. The tool adds constructors for its own errors (keys, keychain, spec files).
    case failed(String, ExitCode = .failure)

    public var exitCode: ExitCode {
        switch self {
        case .usage: return .usage
        case .failed(_, let code): return code
        }
    }

    /// What to tell the user.
    public var message: String {
        switch self {
        case .usage(let error): return error.message
        case .failed(let text, _): return text
        }
    }
}
