import CLICore
import Wire

extension CommandGroup {
    /// `colonies process ...`: what an approved runtime of the colony may do.
    static var process: CommandGroup {
        CommandGroup(
            "process", "Submit, list, assign and close processes (approved runtime).",
            commands: [
                .processSubmit, .processGet, .processList("ps", .running),
                .processList("psw", .waiting), .processList("pss", .successful),
                .processList("psf", .failed), .processAssign,
                .processClose("successful", .successful), .processClose("failed", .failed),
                .processRemove, .processStats, .processWatch,
            ])
    }
}

extension Command {
    static var processSubmit: Command {
        Command(
            "submit", "Submit a process to the colony.",
            details: """
                An empty or absent conditions.colonyid in the spec means the colony of \
                --colonyid (COLONIES_COLONY_ID). Prints only the process id; with --json, \
                the process as stored.
                """,
            flags: [ClientFlags.spec("process", example: "process_spec.json")]
                + CommonFlags.server + CommonFlags.runtime + [CommonFlags.json],
            run: ProcessCommands.submit)
    }

    static var processGet: Command {
        Command(
            "get", "Show a process and its attributes.",
            flags: [ClientFlags.processID("The process to show.")] + CommonFlags.server
                + CommonFlags.runtime + [CommonFlags.json],
            run: ProcessCommands.get)
    }

    /// `ps`, `psw`, `pss`, `psf`: the newest processes in one state.
    static func processList(_ name: String, _ state: ProcessState) -> Command {
        Command(
            name, "List the newest \(state.name) processes of the colony.",
            details: "With --json: {\"processes\": [...], \"truncated\": true/false}.",
            flags: [
                .int(
                    "count", "How many processes to list at most.", range: 1...Limits.maxListCount,
                    default: 20)
            ] + CommonFlags.server + CommonFlags.runtime + [CommonFlags.json],
            run: { invocation throws(CommandError) in
                try ProcessCommands.list(invocation, state: state)
            })
    }

    static var processAssign: Command {
        Command(
            "assign", "Take a waiting process to run, as this runtime.",
            details: """
                Prints the process id and the attempt ("ID ATTEMPT"), which closing it and \
                adding attributes need. When no process came within --timeout seconds, \
                prints nothing (with --json, null), says so on stderr and exits 0.
                """,
            flags: [
                .int(
                    "timeout", "Seconds to wait for a process to arrive.", valueName: "SECONDS",
                    range: 0...Int(Limits.maxWaitSeconds), default: 0)
            ] + CommonFlags.server + CommonFlags.runtime + [CommonFlags.json],
            run: ProcessCommands.assign)
    }

    /// `successful` and `failed`: end the current run of a process.
    static func processClose(_ name: String, _ state: ProcessState) -> Command {
        Command(
            name, "Close a running process as \(state.name) (its assigned runtime).",
            flags: [ClientFlags.processID("The process to close."), ClientFlags.attempt]
                + CommonFlags.server + CommonFlags.runtime,
            run: { invocation throws(CommandError) in
                try ProcessCommands.close(invocation, as: state)
            })
    }

    static var processRemove: Command {
        Command(
            "remove", "Remove a process and its attributes.",
            details: """
                The process is removed whatever its state. A runtime running it is not told: \
                its program runs on, and its close and attributes are refused afterwards.
                """,
            flags: [ClientFlags.processID("The process to remove.")] + CommonFlags.server
                + CommonFlags.runtime,
            run: ProcessCommands.remove)
    }

    static var processStats: Command {
        Command(
            "stats", "Show how many of the colony's processes are in each state.",
            details: """
                Signed with the runtime's key when one can be found, else with the colony's \
                key.
                """,
            flags: CommonFlags.server + CommonFlags.runtime + [CommonFlags.colonyPrvKey]
                + [CommonFlags.json],
            run: ProcessCommands.stats)
    }

    static var processWatch: Command {
        Command(
            "watch", "Follow a process: print a line each time its state changes.",
            details: """
                Prints "TIME STATE ATTEMPT RUNTIME" for the current state and each change, \
                and ends (exit 0) once the process is successful or failed. Ctrl-C stops \
                watching.
                """,
            flags: [ClientFlags.processID("The process to follow.")] + CommonFlags.server
                + CommonFlags.runtime,
            run: ProcessCommands.watch)
    }
}
