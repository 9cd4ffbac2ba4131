import Wire

/// The reads and submits scenarios: N connections, D signed requests in flight on each.
enum ThroughputScenario {
    /// Most frames signed for one round, all connections together (about 100 MB of reads).
    static let maxFramesPerRound = 800_000
    /// Frames signed per connection beyond what the bound allows for, as a margin.
    static let margin = 1.25

    static func run(
        _ scenario: BenchScenario, _ options: BenchOptions, bound: RecoveryBound
    ) throws(BenchError) -> BenchResult {
        let target = try BenchTarget(options.server)
        defer { target.finish() }
        let fixture = try BenchFixture(
            host: target.host, port: target.port, serverKey: target.serverKey, runtimes: 1)
        let request: Request
        if scenario == .reads {
            let process = try fixture.submitOne(host: target.host, port: target.port)
            request = .getProcess(processId: process)
        } else {
            request = .submitProcess(fixture.spec)
        }

        var connections: [LoadConnection] = []
        for _ in 0..<options.connections { connections.append(try target.connect()) }
        let groups = RoundRunner.partition(connections.count, threads: options.threads)

        let run = try RoundRunner.run(
            seconds: Double(options.seconds), serverPID: target.pid, announce: options.progress
        ) {
            (sliceSeconds) throws(BenchError) in
            let count = framesPerConnection(
                seconds: sliceSeconds, connections: connections.count, depth: options.depth,
                bound: bound)
            let jobs = connections.map {
                SigningJob(request, count: count, key: fixture.runtimeKey, for: $0)
            }
            let streams = Presigner.sign(jobs, threads: bound.cores)
            let pipelines: [LoadPipeline] = groups.map { group in
                ClosedLoopPipeline(
                    connections: group.map { connections[$0] }, streams: group.map { streams[$0] },
                    depth: options.depth)
            }
            return (pipelines, count * connections.count)
        }

        var result = BenchResult(scenario: scenario, bound: run.bound(cores: bound.cores) ?? bound)
        result.opsPerSecond = run.opsPerSecond
        result.latency = LatencySummary(nanoseconds: run.tally.latencies)
        result.serverKilobytes = target.residentKilobytes ?? 0
        result.describe(run, connections: connections.count, depth: options.depth)
        return result
    }

    /// Enough frames for the server to run at the bound for `seconds` (one slice), plus a
    /// margin; a faster server ends the slice early and the next slice signs more.
    static func framesPerConnection(
        seconds: Double, connections: Int, depth: Int, bound: RecoveryBound
    ) -> Int {
        let wanted = bound.opsPerSecond * margin * seconds / Double(connections)
        let cap = maxFramesPerRound / connections
        return max(depth * 2, min(cap, Int(wanted.rounded(.up)) + depth))
    }
}
