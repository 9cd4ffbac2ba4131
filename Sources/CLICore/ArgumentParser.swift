// The argument parser: flag declarations, parsing of `colonies <group>... <command> [flags]`
// (or of `colonies-server [flags]`, a tool that is one command), typed lookup of the parsed
// values, usage errors and help text. No library can be had, so it is kept small: long flags
// only (`--name value`, `--name=value`, `--switch`), plus `-h`.

/// The type of a flag's value, checked when the command line is parsed.
public enum FlagKind: Sendable, Equatable {
    case string
    /// An integer, optionally limited to a range.
    case int(ClosedRange<Int>?)
    /// A switch: present means true. `--name=false` and the env values 0/false/no also work.
    case bool
}

/// One flag a command accepts, with its help text and where a missing value comes from.
public struct Flag: Sendable {
    /// The name without dashes: `host` for `--host`.
    public let name: String
    public let kind: FlagKind
    public let help: String
    /// The placeholder shown in help: `--host HOST`.
    public let valueName: String
    /// The environment variable read when the flag is absent from the command line.
    public let environment: String?
    /// The value used when neither the flag nor its environment variable is given.
    public let defaultValue: String?
    /// Whether parsing fails when neither the flag nor its variable gives a value.
    public let isRequired: Bool

    /// A text flag.
    public static func string(
        _ name: String, _ help: String, valueName: String = "TEXT", env: String? = nil,
        default value: String? = nil, required: Bool = false
    ) -> Flag {
        Flag(name: name, kind: .string, help: help, valueName: valueName, environment: env,
            defaultValue: value, isRequired: required)
    }

    /// An integer flag, optionally limited to `range`.
    public static func int(
        _ name: String, _ help: String, valueName: String = "N", range: ClosedRange<Int>? = nil,
        env: String? = nil, default value: Int? = nil, required: Bool = false
    ) -> Flag {
        Flag(name: name, kind: .int(range), help: help, valueName: valueName, environment: env,
            defaultValue: value.map { String($0) }, isRequired: required)
    }

    /// A switch, false unless given.
    public static func bool(_ name: String, _ help: String, env: String? = nil) -> Flag {
        Flag(name: name, kind: .bool, help: help, valueName: "", environment: env,
            defaultValue: nil, isRequired: false)
    }

    /// How the flag is written on the command line: `--host`.
    public var spelling: String { "--" + name }
}

/// A parsed flag value.
public enum FlagValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
}

/// Where a flag's value came from, so that errors about it can name the right place.
public enum ValueSource: Sendable, Equatable {
    case commandLine
    case environment(String)
    case defaultValue
}

/// The flags of one invocation, every value already checked against its declared type.
/// Asking for an undeclared flag or the wrong type is a programmer error.
public struct ParsedFlags: Sendable {
    private let declared: [String: Flag]
    private let values: [String: (value: FlagValue, source: ValueSource)]

    /// Flags `declared` by a command and the values found for them.
    public init(declared: [Flag], values: [String: (value: FlagValue, source: ValueSource)]) {
        self.declared = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.values = values
    }

    /// The value of a text flag, or nil when it was not given and has no default.
    public func optionalString(_ name: String) -> String? {
        guard case .string(let text)? = lookup(name, .string) else { return nil }
        return text
    }

    /// The value of a text flag that is required or has a default.
    public func string(_ name: String) -> String {
        guard let text = optionalString(name) else {
            preconditionFailure("--\(name) is neither required nor defaulted")
        }
        return text
    }

    /// The value of an integer flag, or nil when it was not given and has no default.
    public func optionalInt(_ name: String) -> Int? {
        guard case .int(let number)? = lookup(name, .int(nil)) else { return nil }
        return number
    }

    /// The value of an integer flag that is required or has a default.
    public func int(_ name: String) -> Int {
        guard let number = optionalInt(name) else {
            preconditionFailure("--\(name) is neither required nor defaulted")
        }
        return number
    }

    /// Whether a switch is on.
    public func bool(_ name: String) -> Bool {
        guard case .bool(let on)? = lookup(name, .bool) else { return false }
        return on
    }

    /// Whether the command declares a flag of this name.
    public func isDeclared(_ name: String) -> Bool { declared[name] != nil }

    /// Where the value of a flag came from; nil when it has none.
    public func source(of name: String) -> ValueSource? { values[name]?.source }

    /// How to name the place a flag's value came from in a message: `--prvkey` or
    /// `COLONIES_PRVKEY`.
    public func origin(of name: String) -> String {
        if case .environment(let variable)? = source(of: name) { return variable }
        return "--" + name
    }

    private func lookup(_ name: String, _ kind: FlagKind) -> FlagValue? {
        guard let flag = declared[name] else { preconditionFailure("--\(name) is not declared") }
        switch (flag.kind, kind) {
        case (.string, .string), (.int, .int), (.bool, .bool): return values[name]?.value
        default: preconditionFailure("--\(name) is not of the requested type")
        }
    }
}

/// A mistake in how the tool was called. Every message names the flag or command at fault
/// and ends by pointing at `--help` for the command concerned.
public enum UsageError: Error, Equatable, Sendable {
    case missingCommand(path: [String])
    case unknownCommand(String, path: [String], suggestion: String?)
    case unknownFlag(String, path: [String], suggestion: String?)
    case unexpectedArgument(String, path: [String])
    case missingValue(flag: String, path: [String])
    case repeatedFlag(flag: String, path: [String])
    case invalidValue(flag: String, reason: String, path: [String])
    case invalidEnvironment(variable: String, flag: String, reason: String, path: [String])
    case missingRequired(flag: String, environment: String?, path: [String])

    /// The command path the error belongs to, for the `--help` hint.
    public var path: [String] {
        switch self {
        case .missingCommand(let p), .unknownCommand(_, let p, _), .unknownFlag(_, let p, _),
            .unexpectedArgument(_, let p), .missingValue(_, let p), .repeatedFlag(_, let p),
            .invalidValue(_, _, let p), .invalidEnvironment(_, _, _, let p),
            .missingRequired(_, _, let p):
            return p
        }
    }

    /// What went wrong, then where to look for help.
    public var message: String {
        let hint = "Run '\(path.joined(separator: " ")) --help' for usage."
        return problem + "\n" + hint
    }

    private var problem: String {
        let here = path.joined(separator: " ")
        switch self {
        case .missingCommand:
            return "'\(here)' needs a command"
        case .unknownCommand(let name, _, let suggestion):
            return "unknown command '\(name)' for '\(here)'" + didYouMean(suggestion)
        case .unknownFlag(let name, _, let suggestion):
            return "unknown flag '\(name)' for '\(here)'" + didYouMean(suggestion)
        case .unexpectedArgument(let text, _):
            return "unexpected argument '\(text)' for '\(here)' (flags are written --name value)"
        case .missingValue(let flag, _):
            return "flag '--\(flag)' needs a value"
        case .repeatedFlag(let flag, _):
            return "flag '--\(flag)' is given more than once"
        case .invalidValue(let flag, let reason, _):
            return "flag '--\(flag)': \(reason)"
        case .invalidEnvironment(let variable, let flag, let reason, _):
            return "environment variable \(variable) (for --\(flag)): \(reason)"
        case .missingRequired(let flag, let variable?, _):
            return "missing required flag '--\(flag)' (or set \(variable))"
        case .missingRequired(let flag, nil, _):
            return "missing required flag '--\(flag)'"
        }
    }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}

/// What the command line asks for.
public enum ParseResult {
    /// Print this help text and succeed.
    case help(String)
    /// Print the version and succeed.
    case version
    /// Run a command; `path` is the words that named it, starting with the program name.
    case run(Command, path: [String], flags: ParsedFlags)
}

/// Parses a command line against a tree of command groups.
public struct ArgumentParser {
    /// The tool's top group: its name is the program name.
    public let root: CommandGroup

    public init(root: CommandGroup) {
        self.root = root
    }

    /// Parses the arguments after the program name; environment variables fill in flags
    /// that were not given.
    public func parse(
        _ arguments: [String], environment: [String: String]
    ) throws(UsageError) -> ParseResult {
        var group = root
        var path = [root.name]
        var index = 0

        // Walk down the groups until a command is named.
        while true {
            guard index < arguments.count else { throw .missingCommand(path: path) }
            let word = arguments[index]
            if word == "--help" || word == "-h" { return .help(Help.group(group, path: path)) }
            if word == "--version" && path.count == 1 { return .version }
            if word.hasPrefix("-") {
                let known = ["--help"] + (path.count == 1 ? ["--version"] : [])
                let suggestion = Self.closest(word, among: known)
                throw .unknownFlag(word, path: path, suggestion: suggestion)
            }
            index += 1
            if let child = group.groups.first(where: { $0.name == word }) {
                group = child
                path.append(word)
            } else if let command = group.commands.first(where: { $0.name == word }) {
                path.append(word)
                return try Self.parse(
                    Array(arguments[index...]), of: command, path: path,
                    environment: environment)
            } else {
                let names = group.groups.map(\.name) + group.commands.map(\.name)
                throw .unknownCommand(
                    word, path: path, suggestion: Self.closest(word, among: names))
            }
        }
    }

    /// Parses the flags of `command`, which the words in `path` named: a tool that is one
    /// command (`colonies-server`) reads its whole command line so. `--help` or `-h`
    /// anywhere asks for the command's help.
    public static func parse(
        _ arguments: [String], of command: Command, path: [String],
        environment: [String: String]
    ) throws(UsageError) -> ParseResult {
        if arguments.contains("--help") || arguments.contains("-h") {
            return .help(Help.command(command, path: path))
        }
        let flags = try parseFlags(arguments, of: command, path: path, environment: environment)
        return .run(command, path: path, flags: flags)
    }

    private static func parseFlags(
        _ arguments: [String], of command: Command, path: [String],
        environment: [String: String]
    ) throws(UsageError) -> ParsedFlags {
        var given: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                throw .unexpectedArgument(word, path: path)
            }

            let body = word.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            guard let flag = command.flags.first(where: { $0.name == name }) else {
                let names = command.flags.map(\.spelling) + ["--help"]
                let spelled = "--" + name
                throw .unknownFlag(spelled, path: path, suggestion: closest(spelled, among: names))
            }
            guard given[name] == nil else { throw .repeatedFlag(flag: name, path: path) }

            if let inline {
                given[name] = inline
            } else if flag.kind == .bool {
                given[name] = "true"
            } else {
                // A following long flag means the value was left out; "-1" is a value.
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw .missingValue(flag: name, path: path)
                }
                given[name] = arguments[index]
                index += 1
            }
        }
        return try resolve(command.flags, given: given, path: path, environment: environment)
    }

    // Fills each flag from the command line, else its environment variable, else its
    // default, checking the value's type whichever place it came from.
    private static func resolve(
        _ flags: [Flag], given: [String: String], path: [String], environment: [String: String]
    ) throws(UsageError) -> ParsedFlags {
        var values: [String: (value: FlagValue, source: ValueSource)] = [:]
        for flag in flags {
            if let text = given[flag.name] {
                switch convert(text, to: flag.kind) {
                case .success(let value): values[flag.name] = (value, .commandLine)
                case .failure(let reason):
                    throw .invalidValue(flag: flag.name, reason: reason.text, path: path)
                }
            } else if let variable = flag.environment, let text = environment[variable],
                !text.isEmpty
            {
                switch convert(text, to: flag.kind) {
                case .success(let value): values[flag.name] = (value, .environment(variable))
                case .failure(let reason):
                    throw .invalidEnvironment(
                        variable: variable, flag: flag.name, reason: reason.text, path: path)
                }
            } else if let text = flag.defaultValue {
                guard case .success(let value) = convert(text, to: flag.kind) else {
                    preconditionFailure("the default of --\(flag.name) does not fit its type")
                }
                values[flag.name] = (value, .defaultValue)
            } else if flag.isRequired {
                throw .missingRequired(flag: flag.name, environment: flag.environment, path: path)
            }
        }
        return ParsedFlags(declared: flags, values: values)
    }

    private struct Reason: Error { let text: String }

    private static func convert(_ text: String, to kind: FlagKind) -> Result<FlagValue, Reason> {
        switch kind {
        case .string:
            return .success(.string(text))
        case .int(let range):
            guard let number = Int(text) else {
                return .failure(Reason(text: "must be an integer, got '\(text)'"))
            }
            if let range, !range.contains(number) {
                let bounds = "\(range.lowerBound)...\(range.upperBound)"
                return .failure(Reason(text: "must be in \(bounds), got \(number)"))
            }
            return .success(.int(number))
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.bool(true))
            case "false", "0", "no", "off": return .success(.bool(false))
            default: return .failure(Reason(text: "must be true or false, got '\(text)'"))
            }
        }
    }

    // A near miss (at most two edits away) is most likely a typo worth pointing out.
    private static func closest(_ word: String, among names: [String]) -> String? {
        let scored = names.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Help text for groups and commands: every flag with its value, environment variable
/// and default.
public enum Help {
    /// The help of a group: its summary, groups, commands and flags.
    public static func group(_ group: CommandGroup, path: [String]) -> String {
        let here = path.joined(separator: " ")
        var lines = ["Usage: \(here) <command> [flags]", "", group.summary, ""]
        if !group.groups.isEmpty {
            lines.append("Groups:")
            lines += columns(group.groups.map { ($0.name, [$0.summary]) })
            lines.append("")
        }
        if !group.commands.isEmpty {
            lines.append("Commands:")
            lines += columns(group.commands.map { ($0.name, [$0.summary]) })
            lines.append("")
        }
        var own = [("-h, --help", ["Show this help."])]
        if path.count == 1 { own.append(("--version", ["Print the version."])) }
        lines.append("Flags:")
        lines += columns(own)
        lines.append("")
        lines.append("Run '\(here) <command> --help' for a command's flags.")
        return lines.joined(separator: "\n")
    }

    /// The help of a command: its summary, details and every flag.
    public static func command(_ command: Command, path: [String]) -> String {
        var lines = ["Usage: \(path.joined(separator: " ")) [flags]", "", command.summary]
        if let details = command.details { lines += ["", details] }
        lines += ["", "Flags:"]
        let rows = command.flags.map { flag in
            let left = flag.kind == .bool ? flag.spelling : flag.spelling + " " + flag.valueName
            return (left, [flag.help] + notes(flag))
        }
        lines += columns(rows + [("-h, --help", ["Show this help."])])
        return lines.joined(separator: "\n")
    }

    private static func notes(_ flag: Flag) -> [String] {
        var parts: [String] = []
        if let variable = flag.environment { parts.append("env \(variable)") }
        if let value = flag.defaultValue { parts.append("default \(value)") }
        if flag.isRequired { parts.append("required") }
        if case .int(let range?) = flag.kind {
            parts.append("\(range.lowerBound)...\(range.upperBound)")
        }
        return parts.isEmpty ? [] : ["(" + parts.joined(separator: "; ") + ")"]
    }

    // Left column padded to the widest entry; further lines of an entry are indented to
    // line up under its first.
    private static func columns(_ rows: [(String, [String])]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        var lines: [String] = []
        for (left, right) in rows {
            let pad = String(repeating: " ", count: width - left.count)
            lines.append("  " + left + pad + "   " + (right.first ?? ""))
            for more in right.dropFirst() {
                lines.append(String(repeating: " ", count: width + 5) + more)
            }
        }
        return lines
    }
}
