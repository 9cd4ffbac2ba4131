import CLICore

/// The tool's name and version.
enum Colonies {
    static let version = "0.1.0"
}

extension CommandGroup {
    /// Every command of the tool. To add a group, define it in its own file under Commands/
    /// as `extension CommandGroup { static var name: CommandGroup { ... } }` and list it here.
    static var root: CommandGroup {
        CommandGroup(
            "colonies", "Colonies: a job scheduler for owners, colonies, runtimes and processes.",
            groups: [
                .server, .colony, .runtime, .process, .attribute, .worker, .security, .store,
            ],
            commands: [.bench])
    }
}
