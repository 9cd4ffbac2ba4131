import Foundation
import Wire

/// What a worker needs: where the server is, whom it acts as, and how it takes work.
struct WorkerConfiguration: Sendable {
    var host: String
    var port: UInt16
    var colonyID: ID
    var runtimeKey: PrivateKey
    /// How long each waiting assign waits; the loop issues another when it ends empty.
    var waitSeconds: UInt16 = 10
    /// Assign loops, each with its own connection and thread: processes run at once.
    var concurrency = 1
    /// The environment programs inherit, under each process's own variables.
    var environment: [String: String] = [:]
    /// How long after SIGTERM a program past its timeout gets SIGKILL.
    var killGrace: Duration = .seconds(2)
    /// The longest pause between attempts to reach the server.
    var maxBackoffSeconds = 30

    init(host: String, port: UInt16, colonyID: ID, runtimeKey: PrivateKey) {
        self.host = host
        self.port = port
        self.colonyID = colonyID
        self.runtimeKey = runtimeKey
    }
}

/// A worker: `concurrency` assign loops, each on a thread and connection of its own, and
/// the controls to stop them. `colonies worker start` wires SIGINT and SIGTERM to
/// `escalate`; tests call `stop` and `kill` directly.
final class Worker: Sendable {
    let configuration: WorkerConfiguration
    let control = WorkerControl()
    private let log: WorkerLog

    init(configuration: WorkerConfiguration, log: WorkerLog) {
        precondition(configuration.concurrency > 0, "a worker needs at least one loop")
        self.configuration = configuration
        self.log = log
    }

    /// Starts the loops and returns.
    func start() {
        control.loopsStarting(configuration.concurrency)
        for number in 1...configuration.concurrency {
            let (configuration, control, log) = (configuration, control, log)
            let thread = Thread {
                AssignLoop(number: number, configuration: configuration, control: control, log: log)
                    .run()
            }
            thread.name = "colonies-worker-\(number)"
            thread.start()
        }
    }

    /// Takes no more work; the processes in hand run to their end and are reported.
    func stop() { control.stop() }

    /// Kills the processes in hand, which are not closed (the server takes them back
    /// when their deadlines pass).
    func kill() { control.kill() }

    /// Stops on the first call, kills on the second; returns the phase now.
    @discardableResult
    func escalate() -> WorkerControl.Phase { control.escalate() }

    /// Returns once every loop has ended (see `WorkerControl.waitUntilEnded`): after a
    /// stop, once the processes in hand are reported and waiting assigns have run out.
    func waitUntilEnded() { control.waitUntilEnded() }

    /// Returns once every loop has ended or, once killing, a second after the kill.
    func waitUntilStopped() { control.waitUntilStopped() }

    /// Why the worker gave up on its own, if it did.
    var failure: String? { control.failure }
}
