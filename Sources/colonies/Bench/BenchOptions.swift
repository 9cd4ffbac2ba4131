import Wire

/// The scenarios `colonies bench` can run.
enum BenchScenario: String, CaseIterable, Sendable {
    /// Signed getProcess of one existing process.
    case reads
    /// Durable submits.
    case submits
    /// Submit, assign, close.
    case cycles
    /// From a submit to the runtime already waiting in an assign.
    case wakeup
    /// The server's memory with many idle connections.
    case idle
    /// Assignment throughput with a short and a very long queue of waiting processes.
    case backlog

    /// What `--scenario all` runs: everything but the backlog, whose setup takes minutes.
    static let everyday: [BenchScenario] = [.reads, .submits, .cycles, .wakeup, .idle]
}

/// Where the server under test is.
enum BenchServer {
    /// A child per scenario, of the `colonies-server` executable `binary`, on a free port
    /// and a temporary folder; with `durable` false it runs with `--unsafe-no-sync`, to show
    /// what the syncs cost.
    case child(binary: String, durable: Bool)
    /// A server someone else runs; the benchmark sets up with the owner's key.
    case external(host: String, port: UInt16, serverKey: PrivateKey)
}

/// Everything one `colonies bench` run was asked to do.
struct BenchOptions {
    var scenarios: [BenchScenario]
    var server: BenchServer
    /// Connections of the throughput scenarios.
    var connections = 8
    /// Requests in flight per connection (cycles in flight per runtime in `cycles`).
    var depth = 16
    /// Measured seconds per scenario.
    var seconds = 10
    /// Runtimes of the cycles scenario.
    var runtimes = 4
    /// Threads that drive the connections.
    var threads = 1
    /// Idle connections of the idle scenario.
    var idleConnections = 10_000
    /// Waiting processes of the long queue in the backlog scenario.
    var backlog = 1_000_000
    var json = false
    /// Where lines about progress go (standard error in text mode): when each slice of the
    /// measured load starts, with the server's pid, so that a profiler can be attached to
    /// the server (the pauses between slices, for signing and sampling the bound, are idle).
    var progress: (String) -> Void = { _ in }
}
