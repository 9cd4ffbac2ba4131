import CLICore
import Foundation

extension Command {
    /// `colonies bench`: a top-level command, not a group.
    static var bench: Command {
        Command(
            "bench", "Measure the server's throughput, latency and memory.",
            details: """
                Scenarios: reads (signed getProcess of one process), submits (durable \
                submits), cycles (submit, assign, close by --runtimes runtimes), wakeup (from \
                a submit to the runtime already waiting in an assign), idle (server memory \
                with --idle-connections idle connections), backlog (assigns per second with \
                1,000 and with --backlog waiting processes; its setup takes minutes). Give \
                several separated by commas, or `all` for every one but backlog.

                Each scenario starts its own server as a child process (`colonies-server`, \
                built beside this executable, on a free loopback port, a temporary data \
                folder, synchronous durability, log level error), so that the memory reported \
                is the server's alone. With --host and --port it uses that server instead, \
                and sets up its colony with --serverprvkey (the owner's key); memory is then \
                not reported.

                Every request the load sends is signed before the clock starts (a close in \
                cycles names what the assign returned, so it is signed when that arrives). \
                The run also measures public-key recoveries per second on one core: no \
                server can verify more than cores x that many signed requests per second, \
                and each result gives its ratio to that bound. The reads, submits and cycles \
                scenarios run their load in slices of at most 2 s and measure the bound \
                for 0.5 s before, between and after them, because a shared machine's speed \
                changes from second to second; each slice is held to the mean of the two \
                samples beside it. --json prints one JSON object per scenario, one per line.
                """,
            flags: BenchCommand.flags, run: BenchCommand.run)
    }
}

/// The flags of `colonies bench` and their reading into `BenchOptions`.
enum BenchCommand {
    static let flags: [Flag] = [
        .string(
            "scenario", "reads, submits, cycles, wakeup, idle, backlog, or all.",
            valueName: "NAME", default: "reads"),
        .int(
            "connections", "Connections of the load.", valueName: "N", range: 1...10_000,
            default: 8),
        .int(
            "depth", "Requests in flight per connection (cycles: per runtime).",
            valueName: "D", range: 1...1024, default: 16),
        .int("duration", "Measured seconds per scenario.", valueName: "S", range: 1...3600,
             default: 10),
        .int("runtimes", "Runtimes of the cycles scenario.", valueName: "K", range: 1...256,
             default: 4),
        .int("threads", "Threads that drive the connections.", valueName: "N", range: 1...64,
             default: 1),
        .int(
            "idle-connections", "Idle connections of the idle scenario.", valueName: "N",
            range: 1...19_000, default: 10_000),
        .int(
            "backlog", "Waiting processes of the long queue (backlog scenario).",
            valueName: "N", range: 2_000...10_000_000, default: 1_000_000),
        .string("host", "Use the server at this address instead of a child.", valueName: "HOST"),
        .int("port", "The port of the server given by --host.", valueName: "PORT",
             range: 1...65535),
        CommonFlags.serverPrvKey,
        .string(
            "server-binary", "The colonies-server executable to start the child servers with "
                + "(default: the one beside this executable).", valueName: "PATH"),
        .bool(
            "unsafe-no-sync", "Run the child servers with --unsafe-no-sync (no durable syncs), "
                + "to see what the disk costs; never a result to quote as durable."),
        CommonFlags.json,
    ]

    static func run(_ invocation: Invocation) throws(CommandError) {
        let options = try parse(invocation)
        let report: (BenchResult) throws(CommandError) -> Void = { (result) throws(CommandError) in
            if options.json {
                invocation.console.write(try result.jsonLine())
            } else {
                result.textLines.forEach(invocation.console.write)
            }
        }
        try BenchRun(options: options, console: invocation.console).run(report: report)
    }

    static func parse(_ invocation: Invocation) throws(CommandError) -> BenchOptions {
        let flags = invocation.flags
        var options = BenchOptions(
            scenarios: try scenarios(invocation), server: try server(invocation))
        options.connections = flags.int("connections")
        options.depth = flags.int("depth")
        options.seconds = flags.int("duration")
        options.runtimes = flags.int("runtimes")
        options.threads = flags.int("threads")
        options.idleConnections = flags.int("idle-connections")
        options.backlog = flags.int("backlog")
        options.json = invocation.wantsJSON
        if !options.json {
            let console = invocation.console
            options.progress = { console.writeError($0) }
        }
        return options
    }

    private static func scenarios(_ invocation: Invocation) throws(CommandError)
        -> [BenchScenario]
    {
        let text = invocation.flags.string("scenario")
        if text == "all" { return BenchScenario.everyday }
        var chosen: [BenchScenario] = []
        for name in text.split(separator: ",") {
            guard let scenario = BenchScenario(rawValue: String(name)) else {
                let known = BenchScenario.allCases.map(\.rawValue).joined(separator: ", ")
                throw invocation.invalid(
                    "scenario", "unknown scenario '\(name)'; use \(known) or all")
            }
            chosen.append(scenario)
        }
        guard !chosen.isEmpty else { throw invocation.invalid("scenario", "name a scenario") }
        return chosen
    }

    private static func server(_ invocation: Invocation) throws(CommandError) -> BenchServer {
        let flags = invocation.flags
        let host = flags.optionalString("host")
        let port = flags.optionalInt("port")
        guard host != nil || port != nil else {
            let binary = try leanServer(invocation)
            return .child(binary: binary, durable: !flags.bool("unsafe-no-sync"))
        }
        guard let host, let port else {
            throw invocation.invalid(host == nil ? "host" : "port", "give both --host and --port")
        }
        do {
            let key = try invocation.keys.serverKey()
            return .external(host: host, port: UInt16(port), serverKey: key)
        } catch {
            throw .keys(error)
        }
    }

    /// The `colonies-server` the child servers run: --server-binary, else the one `swift
    /// build` put beside this executable. The idle scenario measures it, so the `colonies`
    /// tool itself (which links Foundation) is never started in its place.
    private static func leanServer(_ invocation: Invocation) throws(CommandError) -> String {
        if let given = invocation.flags.optionalString("server-binary") {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw invocation.invalid("server-binary", "\(given) is not an executable file")
            }
            return given
        }
        guard let path = ServerChild.leanServerBesideThisExecutable() else {
            throw invocation.invalid(
                "server-binary", "cannot read this executable's path; give --server-binary")
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw .failed(
                "no colonies-server at \(path): build it (`swift build -c release --product "
                    + "colonies-server`) or give its path with --server-binary")
        }
        return path
    }
}
