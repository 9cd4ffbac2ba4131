import CLICore
import Client
import ServerCommand
import Wire

extension CommandGroup {
    /// `colonies server ...`: run the server itself. `start` is defined in the ServerCommand
    /// module, which `colonies-server` shares.
    static var server: CommandGroup {
        CommandGroup("server", "Run the Colonies server.", commands: [.serverStart, .serverPing])
    }
}

extension Command {
    static var serverPing: Command {
        Command(
            "ping", "Check that a server answers, and show its version and owner.",
            flags: CommonFlags.server + [CommonFlags.json], run: ServerCommands.ping)
    }
}

enum ServerCommands {
    static func ping(_ invocation: Invocation) throws(CommandError) {
        let client = try invocation.connect(readTimeout: 5000)
        let pong: Pong
        do { pong = try client.ping() } catch { throw .call(error, "ping failed") }

        if invocation.wantsJSON {
            try invocation.printJSON([
                "serverversion": pong.serverVersion.string, "serverid": pong.serverId.hex,
                "protocolversion": Int(pong.protocolVersion),
            ])
        } else {
            invocation.console.write(
                "\(pong.serverVersion) (protocol \(pong.protocolVersion)), owner \(pong.serverId)")
        }
    }
}
