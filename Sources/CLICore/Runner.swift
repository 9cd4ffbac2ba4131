import Glibc

/// Runs a tool: parses the command line, runs the command and turns its outcome into
/// output and an exit code. Kept apart from main.swift so that tests can run commands in
/// the same process.
public enum Runner {
    /// Runs one command line (without the program name) of a tool made of command groups
    /// (`colonies`) and returns how the tool ends.
    public static func run(
        _ arguments: [String], environment: [String: String], console: Console,
        root: CommandGroup, version: String
    ) -> ExitCode {
        finish(
            console: console, environment: environment, version: "\(root.name) \(version)"
        ) { () throws(UsageError) in
            try ArgumentParser(root: root).parse(arguments, environment: environment)
        }
    }

    /// Runs the command line (without the program name) of a tool that is the one command
    /// `command` (`colonies-server`), named `program` in its help and errors.
    public static func run(
        _ arguments: [String], environment: [String: String], console: Console,
        command: Command, program: String
    ) -> ExitCode {
        finish(console: console, environment: environment, version: nil) {
            () throws(UsageError) in
            try ArgumentParser.parse(
                arguments, of: command, path: [program], environment: environment)
        }
    }

    private static func finish(
        console: Console, environment: [String: String], version: String?,
        parse: () throws(UsageError) -> ParseResult
    ) -> ExitCode {
        let parsed: ParseResult
        do throws(UsageError) {
            parsed = try parse()
        } catch {
            console.writeError("error: " + error.message)
            return .usage
        }

        switch parsed {
        case .help(let text):
            console.write(text)
            return .ok
        case .version:
            if let version { console.write(version) }
            return .ok
        case .run(let command, let path, let flags):
            let invocation = Invocation(
                path: path, flags: flags, environment: environment, console: console)
            do throws(CommandError) {
                try command.run(invocation)
                return .ok
            } catch {
                console.writeError("error: " + error.message)
                return error.exitCode
            }
        }
    }
}

/// The environment variables of this process, read without Foundation.
public enum ProcessEnvironment {
    /// Every `NAME=value` entry of `environ`; for a name given twice, the first wins, as
    /// `getenv` would have it.
    public static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if variables[name] == nil {
                    variables[name] = String(text[text.index(after: equals)...])
                }
            }
            entry += 1
        }
        return variables
    }
}
