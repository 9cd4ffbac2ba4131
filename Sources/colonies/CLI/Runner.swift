/// Runs the tool: parses the command line, runs the command and turns its outcome into
/// output and an exit code. Kept apart from main.swift so that tests can run commands in
/// the same process.
enum Runner {
    /// Runs one command line (without the program name) and returns how the tool ends.
    static func run(
        _ arguments: [String], environment: [String: String], console: Console,
        root: CommandGroup = .root, version: String = Colonies.version
    ) -> ExitCode {
        let parsed: ParseResult
        do throws(UsageError) {
            parsed = try ArgumentParser(root: root).parse(arguments, environment: environment)
        } catch {
            console.writeError("error: " + error.message)
            return .usage
        }

        switch parsed {
        case .help(let text):
            console.write(text)
            return .ok
        case .version:
            console.write("\(root.name) \(version)")
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
