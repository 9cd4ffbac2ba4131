import CLICore
import Foundation
import Wire

extension CommandGroup {
    /// `colonies worker ...`: run processes as an approved runtime.
    static var worker: CommandGroup {
        CommandGroup("worker", "Run processes as an approved runtime.", commands: [.workerStart])
    }
}

extension Command {
    static var workerStart: Command {
        Command(
            "start", "Take processes from the server and run them, until stopped.",
            details: WorkerCommands.details,
            flags: CommonFlags.server + CommonFlags.runtime + [
                .int(
                    "wait", "Seconds each waiting assign waits before it is sent again.",
                    valueName: "S", range: 1...Int(Limits.maxWaitSeconds), default: 10),
                .int(
                    "concurrency", "Processes run at once: one assign loop and connection each.",
                    range: 1...256, default: 1),
            ],
            run: WorkerCommands.start)
    }
}

enum WorkerCommands {
    static let details = """
        Acts as an approved runtime of a colony: asks the server for work with a waiting
        assign (--wait seconds, sent again each time it ends empty) and runs each process
        it is given:

          - The program is the process's func, found in the worker's PATH (or taken as a
            path when it holds a slash), run with the process's args as they are (no shell
            is involved). Standard input is /dev/null. The environment is the worker's
            own, less COLONIES_*_PRVKEY and COLONIES_PASSPHRASE, plus the process's env
            variables, which win. The program runs in a process group of its own.
          - Attributes, added under the assignment's attempt: out (type out) holds standard
            output with one trailing newline removed, so `echo hello` gives "hello"; err
            (type err) holds standard error, added only when not empty; exitcode (type
            out) holds the exit status, "signal N" when a signal ended the program, 127
            when it was not found (err then says so) and 126 when it could not be started.
          - Each value is cut at 64 KiB (65536 bytes), on a character boundary, and then
            ends with the line "[cut: the output had N bytes]". Bytes that are not UTF-8
            become U+FFFD.
          - Exit status 0 closes the process as successful; anything else as failed.
          - A process with a timeout that runs past it gets SIGTERM (to its process group),
            then SIGKILL 2 s later, and is not closed: the server takes it back when its
            deadline passes and assigns it again, or fails it when its retries are spent.

        --concurrency N runs N assign loops, each on a connection and thread of its own, so
        that up to N processes run at once.

        If the server cannot be reached or goes away, each loop says so and tries again
        after 1 s, 2 s, 4 s ... up to 30 s. A refusal that waiting cannot cure (an unknown
        or unapproved runtime, for example) ends the worker with exit status 1.

        SIGINT (Ctrl-C) or SIGTERM: the worker asks for no more work, lets the processes in
        hand finish (each within its timeout, if it has one), reports them and exits 0. An
        assign already waiting is let run out (at most --wait seconds), and a process it
        brings is run too, so that none is left assigned to a worker that is gone. A
        second signal kills the programs running and exits 1 within a second; the server
        assigns their processes again when their deadlines pass.

        Each event (connected, assigned, finished, killed, connection lost, refused) is one
        line on standard error: time event=NAME key=value ...
        """

    static func start(_ invocation: Invocation) throws(CommandError) {
        let keys = invocation.keys
        let key: PrivateKey
        let colony: ID
        do throws(KeyResolutionError) {
            key = try keys.runtimeKey()
            colony = try keys.colonyID()
        } catch {
            throw .keys(error)
        }

        let flags = invocation.flags
        var configuration = WorkerConfiguration(
            host: flags.string(CommonFlags.host.name),
            port: UInt16(flags.int(CommonFlags.port.name)), colonyID: colony, runtimeKey: key)
        configuration.waitSeconds = UInt16(flags.int("wait"))
        configuration.concurrency = flags.int("concurrency")
        configuration.environment = invocation.environment

        let log = WorkerLog(console: invocation.console)
        let worker = Worker(configuration: configuration, log: log)
        // Logged before acting on it: the main thread may exit as soon as the phase moves.
        SignalWatcher.start { signal in
            if worker.control.phase == .running {
                log.event(
                    "stopping",
                    ["signal": "\(signal)", "in-hand": "\(worker.control.processesInHand)",
                     "note": "finishing the processes in hand and waiting assigns; "
                        + "signal again to kill them and exit"])
            } else {
                log.event("killing", ["signal": "\(signal)"])
            }
            worker.escalate()
        }

        log.event(
            "worker-started",
            ["runtime": key.id.hex, "colony": colony.hex, "server": "\(configuration.host):"
                + "\(configuration.port)", "concurrency": "\(configuration.concurrency)"])
        worker.start()
        worker.waitUntilStopped()

        if let failure = worker.failure { throw .failed(failure) }
        if worker.control.phase == .killing {
            throw .failed(
                "stopped at once by a second signal; the server assigns the processes that "
                    + "were killed again when their deadlines pass")
        }
        log.event("worker-stopped")
    }
}
