import CLICore
import Client
import Wire

extension CommandGroup {
    /// `colonies runtime ...`: the colony owner's commands.
    static var runtime: CommandGroup {
        CommandGroup(
            "runtime", "Register, approve, reject, list and remove runtimes (colony owner).",
            commands: [
                .runtimeRegister, .runtimeList, .runtimeGet, .runtimeApprove, .runtimeReject,
                .runtimeRemove,
            ])
    }
}

extension Command {
    static var runtimeRegister: Command {
        Command(
            "register", "Register a runtime with a new key, signed by the colony's owner.",
            details: """
                Makes the runtime's private key, saves it in the keychain (COLONIES_KEYCHAIN, \
                default ~/.colonies) and registers the runtime in the colony, pending until \
                the colony's owner approves it. Prints only the runtime's id; with --json, \
                {"runtimeid": ...}.
                """,
            flags: [ClientFlags.spec("runtime", example: "runtime.json")] + CommonFlags.server
                + CommonFlags.colony + [CommonFlags.json],
            run: RuntimeCommands.register)
    }

    static var runtimeList: Command {
        Command(
            "ls", "List the runtimes of the colony.",
            flags: CommonFlags.server + CommonFlags.colony + [CommonFlags.json],
            run: RuntimeCommands.list)
    }

    static var runtimeGet: Command {
        acting("get", "getting", "Show a runtime.", text: WireText.runtime) {
            runtime, key, client throws(ClientError) in
            try client.getRuntime(runtime, colonyKey: key)
        }
    }

    static var runtimeApprove: Command {
        acting("approve", "approving", "Approve a runtime, so that it may take processes.",
            text: stateLine
        ) {
            runtime, key, client throws(ClientError) in
            try client.approveRuntime(runtime, colonyKey: key)
        }
    }

    static var runtimeReject: Command {
        acting("reject", "rejecting", "Reject a runtime, so that it may take no processes.",
            text: stateLine
        ) {
            runtime, key, client throws(ClientError) in
            try client.rejectRuntime(runtime, colonyKey: key)
        }
    }

    static var runtimeRemove: Command {
        Command(
            "remove", "Remove a runtime; processes it was running wait again.",
            flags: [ClientFlags.targetRuntimeID("The runtime to remove.")] + CommonFlags.server
                + CommonFlags.colony,
            run: RuntimeCommands.remove)
    }

    private static func stateLine(_ runtime: Runtime) -> [String] {
        ["runtime \(runtime.id.hex) is \(runtime.state.name)"]
    }

    /// A command that acts on one runtime (`--runtimeid`) and gets it back: get, approve
    /// and reject. `text` is what it prints of the runtime.
    private static func acting(
        _ name: String, _ doing: String, _ summary: String,
        text: @escaping @Sendable (Runtime) -> [String],
        _ call: @escaping @Sendable (ID, PrivateKey, ColoniesClient) throws(ClientError)
            -> Runtime
    ) -> Command {
        Command(
            name, summary,
            flags: [ClientFlags.targetRuntimeID("The runtime to \(name).")] + CommonFlags.server
                + CommonFlags.colony + [CommonFlags.json],
            run: { invocation throws(CommandError) in
                try RuntimeCommands.act(invocation, doing: doing, text: text, call)
            })
    }
}

enum RuntimeCommands {
    static func register(_ invocation: Invocation) throws(CommandError) {
        let key = PrivateKey.generate()
        let colonyID = try invocation.colonyID()
        let runtime = try invocation.spec { (spec) throws(SpecError) in
            try SpecMapping.runtime(spec, id: key.id, colony: colonyID)
        }
        let colonyKey = try invocation.key(.colony)
        let client = try invocation.connect()

        let (added, path) = try invocation.register(key, "registering the runtime") {
            () throws(ClientError) in try client.addRuntime(runtime, colonyKey: colonyKey)
        }
        try invocation.output(added.id.hex, json: ["runtimeid": added.id.hex])
        invocation.console.writeError(
            "key saved in \(path); export COLONIES_RUNTIME_ID=\(added.id.hex)")
        invocation.console.writeError(
            "the runtime is pending: approve it with "
                + "`colonies runtime approve --runtimeid \(added.id.hex)`")
    }

    static func list(_ invocation: Invocation) throws(CommandError) {
        let colonyID = try invocation.colonyID()
        let colonyKey = try invocation.key(.colony)
        let client = try invocation.connect()
        let runtimes = try clientCall("listing runtimes") { () throws(ClientError) in
            try client.listRuntimes(colony: colonyID, colonyKey: colonyKey)
        }
        if !invocation.wantsJSON && runtimes.isEmpty {
            invocation.console.writeError("no runtimes in colony \(colonyID.hex)")
            return
        }
        try invocation.output(
            lines: WireText.runtimes(runtimes), json: runtimes.map(WireJSON.runtime))
    }

    /// Runs `call` on the runtime named by `--runtimeid`, signed with the colony's key.
    static func act(
        _ invocation: Invocation, doing: String, text: (Runtime) -> [String],
        _ call: (ID, PrivateKey, ColoniesClient) throws(ClientError) -> Runtime
    ) throws(CommandError) {
        let target = try invocation.id("runtimeid")
        let colonyKey = try invocation.key(.colony)
        let client = try invocation.connect()
        let runtime = try clientCall("\(doing) runtime \(target.hex)") {
            () throws(ClientError) in try call(target, colonyKey, client)
        }

        try invocation.output(lines: text(runtime), json: WireJSON.runtime(runtime))
    }

    static func remove(_ invocation: Invocation) throws(CommandError) {
        let target = try invocation.id("runtimeid")
        let colonyKey = try invocation.key(.colony)
        let client = try invocation.connect()
        try clientCall("removing runtime \(target.hex)") { () throws(ClientError) in
            try client.removeRuntime(target, colonyKey: colonyKey)
        }
        invocation.console.writeError("runtime \(target.hex) removed")
    }
}
