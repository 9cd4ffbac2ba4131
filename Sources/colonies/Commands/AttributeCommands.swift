import CLICore
import Client
import Wire

extension CommandGroup {
    /// `colonies attribute ...`: what a runtime attaches to the processes it runs.
    static var attribute: CommandGroup {
        CommandGroup(
            "attribute", "Add and get process attributes (approved runtime).",
            commands: [.attributeAdd, .attributeGet])
    }
}

extension Command {
    static var attributeAdd: Command {
        Command(
            "add", "Attach a key and value to a process this runtime is running.",
            details: """
                Adding the same type and key again replaces the value. Prints only the \
                attribute's id; with --json, the attribute as stored.
                """,
            flags: [
                ClientFlags.processID("The process to attach the attribute to."),
                .string("key", "The attribute's key (A-Z a-z 0-9 . _ -).", required: true),
                .string("value", "The attribute's value.", required: true),
                .string(
                    "type", "What the value is: out, err, in or env.", valueName: "TYPE",
                    default: AttributeType.output.name),
                ClientFlags.attempt,
            ] + CommonFlags.server + CommonFlags.runtime + [CommonFlags.json],
            run: AttributeCommands.add)
    }

    static var attributeGet: Command {
        Command(
            "get", "Show an attribute.",
            flags: [.string("attributeid", "The attribute to show.", valueName: "ID",
                required: true)]
                + CommonFlags.server + CommonFlags.runtime + [CommonFlags.json],
            run: AttributeCommands.get)
    }
}

enum AttributeCommands {
    static func add(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("processid")
        let typeName = invocation.flags.string("type")
        guard let type = AttributeType(name: typeName) else {
            throw invocation.invalid(
                "type", "must be one of out, err, in, env; got '\(typeName)'")
        }
        var attribute = NewAttribute(
            processId: id, attempt: 0, type: type, key: Text(invocation.flags.string("key")),
            value: Text(invocation.flags.string("value")))
        try checkRules(attribute, invocation)
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        attribute.attempt = try ProcessCommands.attempt(of: id, invocation, client, key)

        let added = try clientCall("adding the attribute") { () throws(ClientError) in
            try client.addAttribute(attribute, runtimeKey: key)
        }
        try invocation.output(added.id.hex, json: WireJSON.attribute(added))
    }

    static func get(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("attributeid")
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        let attribute = try clientCall("getting attribute \(id.hex)") {
            () throws(ClientError) in try client.getAttribute(id, runtimeKey: key)
        }
        try invocation.output(
            lines: WireText.attribute(attribute), json: WireJSON.attribute(attribute))
    }

    /// Refuses a key or value the protocol would refuse, naming the flag, before sending.
    private static func checkRules(_ attribute: NewAttribute, _ invocation: Invocation)
        throws(CommandError)
    {
        do {
            _ = try NewAttribute.decode(exactly: attribute.encoded)
        } catch {
            if error.field.description == "attribute.key" {
                throw invocation.invalid(
                    "key", "must be 1 to \(Limits.maxAttributeKey) characters of "
                        + "A-Z a-z 0-9 . _ -")
            }
            throw invocation.invalid(
                "value", "must be at most \(Limits.maxAttributeValue) bytes")
        }
    }
}
