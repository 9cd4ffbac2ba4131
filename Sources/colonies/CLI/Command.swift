import Foundation

/// A command a user can run: `colonies security id`, `colonies server start`.
///
/// Commands are plain values; a file under Commands/ builds them and groups them in a
/// `CommandGroup`, and `CommandGroup.root` lists the groups.
struct Command: Sendable {
    let name: String
    /// One line, shown in the group's command list and at the top of the command's help.
    let summary: String
    /// Further paragraphs of help, if any.
    let details: String?
    let flags: [Flag]
    let run: @Sendable (Invocation) throws(CommandError) -> Void

    init(
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
struct CommandGroup: Sendable {
    let name: String
    let summary: String
    let groups: [CommandGroup]
    let commands: [Command]

    init(
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
protocol Console: AnyObject {
    /// Writes one line (a newline is added) of the command's result to standard output.
    func write(_ line: String)
    /// Writes one line of diagnostics to standard error.
    func writeError(_ line: String)
}

/// The process's standard output and standard error.
final class StandardConsole: Console {
    func write(_ line: String) {
        print(line)
    }

    func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// One run of a command: its parsed flags and the world it runs in.
struct Invocation {
    /// The words that named the command, starting with the program name.
    let path: [String]
    let flags: ParsedFlags
    let environment: [String: String]
    let console: Console

    /// Whether the user asked for JSON (`--json`) rather than text.
    var wantsJSON: Bool { flags.isDeclared(CommonFlags.json.name) && flags.bool("json") }

    /// The keychain named by COLONIES_KEYCHAIN (default ~/.colonies), unlocked with
    /// COLONIES_PASSPHRASE when that is set.
    func keychain() throws(CommandError) -> Keychain {
        do { return try Keychain(environment: environment) } catch { throw .keychain(error) }
    }

    /// Resolves keys and ids from flags, environment and keychain.
    var keys: KeyResolver { KeyResolver(flags: flags, environment: environment) }

    /// A usage error about this command's flag `flag`.
    func invalid(_ flag: String, _ reason: String) -> CommandError {
        .usage(.invalidValue(flag: flag, reason: reason, path: path))
    }
}

/// How the tool ends.
enum ExitCode: Int32, Sendable {
    case ok = 0
    /// The command was understood but failed: a file, the keychain or the server said no.
    case failure = 1
    /// The command line or environment was wrong; nothing was done.
    case usage = 2
}

/// Why a command did not succeed.
enum CommandError: Error {
    case usage(UsageError)
    case keys(KeyResolutionError)
    case keychain(KeychainError)
    case spec(SpecError)
    /// Any other failure, already phrased for the user.
    case failed(String)

    var exitCode: ExitCode {
        switch self {
        case .usage: return .usage
        case .keys(let error): return error.isUsageError ? .usage : .failure
        case .keychain, .spec, .failed: return .failure
        }
    }

    var message: String {
        switch self {
        case .usage(let error): return error.message
        case .keys(let error): return error.message
        case .keychain(let error): return error.message
        case .spec(let error): return error.message
        case .failed(let text): return text
        }
    }
}
