import CLICore
import Glibc
import Server
import Wire

// The one definition of how a server is started from a command line: `colonies server
// start` lists this command in its `server` group, and `colonies-server` is this command
// alone. It imports no Foundation, so that `colonies-server` can leave it out.

extension Command {
    /// Starts a server and serves until SIGINT or SIGTERM: `colonies server start`, and the
    /// whole of `colonies-server`.
    public static var serverStart: Command {
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
            run: ServerStart.run)
    }
}

/// What `serverStart` does with its flags.
enum ServerStart {
    static func run(_ invocation: Invocation) throws(CommandError) {
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

    /// The owner's id: --serverid, else the id of the server owner's private key (taken
    /// from its flag or variable only: the server has no keychain).
    private static func owner(_ invocation: Invocation) throws(CommandError) -> ID {
        let flags = invocation.flags
        if let text = flags.optionalString("serverid") {
            guard let id = ID(hex: text) else {
                throw invocation.invalid("serverid", "an id is 64 hex digits")
            }
            return id
        }
        if let hex = flags.optionalString(CommonFlags.serverPrvKey.name),
            let key = try? PrivateKey(hex: hex)
        {
            return key.id
        }
        throw invocation.invalid(
            "serverid",
            "give the server owner's id with --serverid or COLONIES_SERVER_ID "
                + "(make a key with `colonies security generate`, its id with "
                + "`colonies security id --prvkey KEY`)")
    }
}
