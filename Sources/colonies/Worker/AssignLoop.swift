import CLICore
import Client
import Wire

/// One of a worker's loops: on its own connection, asks for work with a waiting assign,
/// runs what comes, reports it, and asks again, until the worker stops. Lives on one thread.
final class AssignLoop {
    private let number: Int
    private let configuration: WorkerConfiguration
    private let control: WorkerControl
    private let log: WorkerLog
    private var client: ColoniesClient?
    private var backoff: Backoff

    init(number: Int, configuration: WorkerConfiguration, control: WorkerControl, log: WorkerLog) {
        self.number = number
        self.configuration = configuration
        self.control = control
        self.log = log
        backoff = Backoff(maxSeconds: configuration.maxBackoffSeconds)
    }

    func run() {
        defer {
            client = nil
            control.loopEnded()
        }
        while control.phase == .running {
            guard let client = connected(pausingUnless: .stopping) else { continue }
            let process: Process?
            do throws(ClientError) {
                process = try client.assign(
                    colony: configuration.colonyID, waitSeconds: configuration.waitSeconds,
                    runtimeKey: configuration.runtimeKey)
            } catch {
                assignFailed(error)
                continue
            }
            backoff.reset()
            guard let process else { continue }

            // Taken even if the worker began stopping meanwhile: it is in hand now.
            control.tookProcess()
            execute(process)
            control.finishedProcess()
        }
    }

    // MARK: Running

    private func execute(_ process: Process) {
        let spec = process.spec
        log.event(
            "assigned",
            ["loop": "\(number)", "process": process.id.hex, "attempt": "\(process.attempt)",
             "func": spec.function.string, "timeout": "\(spec.timeout)"])

        let control = self.control
        let execution = ProcessExecution(
            environment: configuration.environment, killGrace: configuration.killGrace,
            shouldKill: { control.phase == .killing })
        switch execution.run(spec) {
        case .finished(let report):
            deliver(report, for: process)
        case .timedOut:
            log.event(
                "killed-timeout",
                ["loop": "\(number)", "process": process.id.hex, "timeout": "\(spec.timeout)s",
                 "note": "not closed: the server takes it back when its deadline passes"])
        case .killed:
            log.event(
                "killed",
                ["loop": "\(number)", "process": process.id.hex,
                 "note": "worker stopped at once: the server takes it back at its deadline"])
        }
    }

    /// Adds the attributes and closes the process, reconnecting as needed, until done, the
    /// server refuses, or the worker is killing.
    private func deliver(_ report: ProcessReport, for process: Process) {
        while true {
            guard control.phase < .killing else {
                log.event("report-abandoned", ["loop": "\(number)", "process": process.id.hex])
                return
            }
            guard let client = connected(pausingUnless: .killing) else { continue }
            do throws(ClientError) {
                try send(report, for: process, on: client)
                log.event(
                    "finished",
                    ["loop": "\(number)", "process": process.id.hex,
                     "state": report.successful ? "successful" : "failed",
                     "exitcode": report.exitcode])
                return
            } catch .refused(let code, let message) where !Self.isTransient(code) {
                log.event(
                    "report-refused",
                    ["loop": "\(number)", "process": process.id.hex,
                     "error": "\(message) [\(code.name)]",
                     "note": "the server no longer has it running under this attempt"])
                return
            } catch {
                self.client = nil
                pause("connection-lost", error, unless: .killing)
            }
        }
    }

    private func send(_ report: ProcessReport, for process: Process, on client: ColoniesClient)
        throws(ClientError)
    {
        let key = configuration.runtimeKey
        for attribute in report.attributes {
            _ = try client.addAttribute(
                NewAttribute(
                    processId: process.id, attempt: process.attempt, type: attribute.type,
                    key: Text(attribute.key), value: Text(attribute.value)),
                runtimeKey: key)
        }
        if report.successful {
            try client.closeSuccessful(process.id, attempt: process.attempt, runtimeKey: key)
        } else {
            try client.closeFailed(process.id, attempt: process.attempt, runtimeKey: key)
        }
    }

    // MARK: The connection

    /// The loop's connection, made anew when it has none. Nil when connecting failed (after
    /// a pause that grows with each failure, cut short once the worker reaches `phase`).
    private func connected(pausingUnless phase: WorkerControl.Phase) -> ColoniesClient? {
        if let client { return client }
        do throws(ClientError) {
            let client = try ColoniesClient(host: configuration.host, port: configuration.port)
            self.client = client
            log.event("connected", ["loop": "\(number)", "server": server])
            return client
        } catch {
            pause("cannot-connect", error, unless: phase)
            return nil
        }
    }

    private func assignFailed(_ error: ClientError) {
        client = nil
        if case .refused(let code, _) = error, !Self.isTransient(code) {
            let reason = CommandError.call(error, "the server refused to assign work").message
            log.event("refused", ["loop": "\(number)", "error": reason])
            control.fail(reason)
            return
        }
        pause("connection-lost", error, unless: .stopping)
    }

    private func pause(_ event: String, _ error: ClientError, unless phase: WorkerControl.Phase) {
        let seconds = backoff.next()
        log.event(
            event,
            ["loop": "\(number)", "server": server, "error": "\(error)",
             "retry-in": "\(seconds)s"])
        control.pause(seconds: Double(seconds), unless: phase)
    }

    private var server: String { "\(configuration.host):\(configuration.port)" }

    /// Refusals about the server's own state (60-69: full, overloaded, shutting down ...),
    /// which waiting may cure, unlike refusals of the request itself.
    private static func isTransient(_ code: ErrorCode) -> Bool {
        (60..<70).contains(code.rawValue)
    }
}
