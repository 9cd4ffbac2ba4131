import Client
import Foundation
import Server
import Store
import Wire

extension CommandGroup {
    /// `colonies server ...`: run the server itself.
    static var server: CommandGroup {
        CommandGroup("server", "Run the Colonies server.", commands: [.serverStart, .serverPing])
    }
}

extension Command {
    static var serverStart: Command {
        Command(
            "start", "Start a server and serve until SIGINT or SIGTERM.",
            details: """
                The server stores no private key: --serverid names the server owner, the only \
                key that may add, list and remove colonies. When it is not given, the id of \
                COLONIES_SERVER_PRVKEY is used. All state lives in the --data folder (an LMDB \
                store); a restart on the same folder carries on where the last one stopped.

                Every write is acknowledged only once it is on disk. --unsafe-no-sync skips the \
                flush: a crash of the machine (not of the server) may then lose acknowledged \
                writes or corrupt the store. Use it only for data you can rebuild.

                SIGINT or SIGTERM stops accepting, lets requests in flight commit and answer, \
                then closes the store.
                """,
            flags: [
                .string(
                    "host", "The address to listen on.", valueName: "HOST",
                    env: "COLONIES_SERVER_HOST", default: "127.0.0.1"),
                .int(
                    "port", "The TCP port to listen on.", valueName: "PORT", range: 1...65535,
                    env: "COLONIES_SERVER_PORT", default: 50080),
                .string(
                    "data", "The data folder (created if missing).", valueName: "DIR",
                    env: "COLONIES_DATA", default: "colonies-data"),
                .string(
                    "serverid", "The server owner's id.", valueName: "ID",
                    env: "COLONIES_SERVER_ID"),
                CommonFlags.serverPrvKey,
                .string(
                    "log-level", "debug, info, warning or error.", valueName: "LEVEL",
                    env: "COLONIES_LOG_LEVEL", default: "info"),
                .int(
                    "loops", "Event loop threads (0: one per core).", valueName: "N",
                    range: 0...256, default: 0),
                .int(
                    "max-connections", "Open connections allowed.", valueName: "N",
                    range: 1...1_000_000, default: 10_000),
                .bool("unsafe-no-sync", "Do not flush commits to disk (see above)."),
            ],
            run: ServerCommands.start)
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

    static func start(_ invocation: Invocation) throws(CommandError) {
        let flags = invocation.flags
        guard let level = LogLevel(name: flags.string("log-level")) else {
            throw invocation.invalid("log-level", "use debug, info, warning or error")
        }

        var configuration = ServerConfiguration(serverOwner: try owner(invocation))
        configuration.host = flags.string("host")
        configuration.port = UInt16(flags.int("port"))
        configuration.dataPath = flags.string("data")
        configuration.logLevel = level
        configuration.loops = flags.int("loops")
        configuration.maxConnections = flags.int("max-connections")
        if flags.bool("unsafe-no-sync") { configuration.durability = .unsafeNoSync }

        // Block the stop signals before any server thread starts, so that every thread
        // inherits the mask and only the wait below receives them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let server: ColoniesServer
        do {
            server = try ColoniesServer(configuration: configuration)
            try server.start()
        } catch {
            throw .failed("\(error)")
        }

        var received: Int32 = 0
        sigwait(&signals, &received)
        server.shutdown()
    }

    /// The owner's id: --serverid, else the id of the server owner's private key.
    private static func owner(_ invocation: Invocation) throws(CommandError) -> ID {
        if let text = invocation.flags.optionalString("serverid") {
            guard let id = ID(hex: text) else {
                throw invocation.invalid("serverid", "an id is 64 hex digits")
            }
            return id
        }
        do {
            return try invocation.keys.serverKey().id
        } catch {
            throw invocation.invalid(
                "serverid",
                "give the server owner's id with --serverid or COLONIES_SERVER_ID "
                    + "(make a key with `colonies security generate`, its id with "
                    + "`colonies security id --prvkey KEY`)")
        }
    }
}
