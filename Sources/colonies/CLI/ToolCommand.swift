import CLICore

// What the `colonies` tool adds to the shared command-line core (Sources/CLICore): its
// command tree and version as defaults, keys and the keychain for a command, and its own
// errors phrased for the user.

extension Runner {
    /// Runs one command line (without the program name) of `colonies`, or of `root` in tests.
    static func run(
        _ arguments: [String], environment: [String: String], console: Console,
        root: CommandGroup = .root
    ) -> ExitCode {
        run(arguments, environment: environment, console: console, root: root,
            version: Colonies.version)
    }
}

extension Invocation {
    /// Whether the user asked for JSON (`--json`) rather than text.
    var wantsJSON: Bool { flags.isDeclared(CommonFlags.json.name) && flags.bool("json") }

    /// The keychain named by COLONIES_KEYCHAIN (default ~/.colonies), unlocked with
    /// COLONIES_PASSPHRASE when that is set.
    func keychain() throws(CommandError) -> Keychain {
        do { return try Keychain(environment: environment) } catch { throw .keychain(error) }
    }

    /// Resolves keys and ids from flags, environment and keychain.
    var keys: KeyResolver { KeyResolver(flags: flags, environment: environment) }
}

extension CommandError {
    /// A key or id that could not be had: a usage error when the fix is in the command
    /// line or environment.
    static func keys(_ error: KeyResolutionError) -> CommandError {
        .failed(error.message, error.isUsageError ? .usage : .failure)
    }

    static func keychain(_ error: KeychainError) -> CommandError { .failed(error.message) }

    static func spec(_ error: SpecError) -> CommandError { .failed(error.message) }
}
