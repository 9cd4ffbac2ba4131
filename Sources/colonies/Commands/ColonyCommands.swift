import CLICore
import Client
import Wire

extension CommandGroup {
    /// `colonies colony ...`: the server owner's commands.
    static var colony: CommandGroup {
        CommandGroup(
            "colony", "Register, list, get and remove colonies (server owner).",
            commands: [.colonyRegister, .colonyList, .colonyGet, .colonyRemove])
    }
}

extension Command {
    static var colonyRegister: Command {
        Command(
            "register", "Register a colony with a new key, signed by the server owner.",
            details: """
                Makes the colony's private key, saves it in the keychain (COLONIES_KEYCHAIN, \
                default ~/.colonies) and registers the colony; the colony's id is the id of \
                that key. Prints only the id; with --json, {"colonyid": ...}.
                """,
            flags: [ClientFlags.spec("colony", example: "colony.json")] + CommonFlags.server
                + CommonFlags.serverOwner + [CommonFlags.json],
            run: ColonyCommands.register)
    }

    static var colonyList: Command {
        Command(
            "ls", "List the colonies of the server.",
            flags: CommonFlags.server + CommonFlags.serverOwner + [CommonFlags.json],
            run: ColonyCommands.list)
    }

    static var colonyGet: Command {
        Command(
            "get", "Show a colony.",
            details: "Signed with --serverprvkey when given, else with the colony's own key.",
            flags: CommonFlags.server + CommonFlags.colony + CommonFlags.serverOwner
                + [CommonFlags.json],
            run: ColonyCommands.get)
    }

    static var colonyRemove: Command {
        Command(
            "remove", "Remove a colony, with its runtimes and processes.",
            flags: [.string("colonyid", "The colony to remove.", valueName: "ID", required: true)]
                + CommonFlags.server + CommonFlags.serverOwner,
            run: ColonyCommands.remove)
    }
}

enum ColonyCommands {
    static func register(_ invocation: Invocation) throws(CommandError) {
        let key = PrivateKey.generate()
        let colony = try invocation.spec { (spec) throws(SpecError) in
            try SpecMapping.colony(spec, id: key.id)
        }
        let serverKey = try invocation.key(.server)
        let client = try invocation.connect()

        let (added, path) = try invocation.register(key, "registering the colony") {
            () throws(ClientError) in try client.addColony(colony, serverKey: serverKey)
        }
        try invocation.output(added.id.hex, json: ["colonyid": added.id.hex])
        invocation.console.writeError(
            "key saved in \(path); export COLONIES_COLONY_ID=\(added.id.hex)")
    }

    static func list(_ invocation: Invocation) throws(CommandError) {
        let serverKey = try invocation.key(.server)
        let client = try invocation.connect()
        let colonies = try clientCall("listing colonies") { () throws(ClientError) in
            try client.listColonies(serverKey: serverKey)
        }
        if !invocation.wantsJSON && colonies.isEmpty {
            invocation.console.writeError("no colonies")
            return
        }
        try invocation.output(
            lines: WireText.colonies(colonies), json: colonies.map(WireJSON.colony))
    }

    static func get(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.colonyID()
        let key: PrivateKey
        if invocation.flags.optionalString(CommonFlags.serverPrvKey.name) != nil {
            key = try invocation.key(.server)
        } else {
            key = try invocation.key(.colony)
        }
        let client = try invocation.connect()
        let colony = try clientCall("getting colony \(id.hex)") { () throws(ClientError) in
            try client.getColony(id, key: key)
        }
        try invocation.output(lines: WireText.colony(colony), json: WireJSON.colony(colony))
    }

    static func remove(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("colonyid")
        let serverKey = try invocation.key(.server)
        let client = try invocation.connect()
        try clientCall("removing colony \(id.hex)") { () throws(ClientError) in
            try client.removeColony(id, serverKey: serverKey)
        }
        invocation.console.writeError("colony \(id.hex) removed")
    }
}
