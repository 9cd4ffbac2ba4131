import CLICore
import Wire

extension CommandGroup {
    /// `colonies security ...`: keys and ids, with no server involved.
    static var security: CommandGroup {
        CommandGroup(
            "security", "Make private keys and show their ids.",
            commands: [.securityGenerate, .securityID])
    }
}

extension Command {
    static var securityGenerate: Command {
        Command(
            "generate", "Print a new private key.",
            details: "Prints only the key (64 hex digits) so that scripts can capture it; "
                + "with --json, prints {\"id\": ..., \"prvkey\": ...}.",
            flags: [CommonFlags.json], run: SecurityCommands.generate)
    }

    static var securityID: Command {
        Command(
            "id", "Print the id of a private key.",
            flags: [
                .string("prvkey", "The private key.", valueName: "HEX", required: true),
                CommonFlags.json,
            ],
            run: SecurityCommands.id)
    }
}

enum SecurityCommands {
    static func generate(_ invocation: Invocation) throws(CommandError) {
        let key = PrivateKey.generate()
        if invocation.wantsJSON {
            try invocation.printJSON(["prvkey": key.hex, "id": key.id.hex])
        } else {
            invocation.console.write(key.hex)
        }
    }

    static func id(_ invocation: Invocation) throws(CommandError) {
        let key: PrivateKey
        do {
            key = try PrivateKey(hex: invocation.flags.string("prvkey"))
        } catch .malformedPrivateKey {
            throw invocation.invalid("prvkey", "a private key must be 64 hex digits")
        } catch {
            throw invocation.invalid(
                "prvkey", "not a valid secp256k1 private key (zero or not below the order)")
        }

        if invocation.wantsJSON {
            try invocation.printJSON(["id": key.id.hex])
        } else {
            invocation.console.write(key.id.hex)
        }
    }
}
