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
            (remaining) throws(BenchError) in
            let count = framesPerConnection(
                remaining: remaining, connections: connections.count, depth: options.depth,
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

        var result = BenchResult(scenario: scenario, bound: bound)
        result.opsPerSecond = run.opsPerSecond
        result.latency = LatencySummary(nanoseconds: run.tally.latencies)
        result.serverKilobytes = target.residentKilobytes ?? 0
        result.describe(run, connections: connections.count, depth: options.depth)
        return result
    }

    /// Enough frames for the server to run at the bound for the remaining time, plus a margin;
    /// a faster server ends the round early and the next round signs more.
    static func framesPerConnection(
        remaining: Double, connections: Int, depth: Int, bound: RecoveryBound
    ) -> Int {
        let wanted = bound.opsPerSecond * margin * remaining / Double(connections)
        let cap = maxFramesPerRound / connections
        return max(depth * 2, min(cap, Int(wanted.rounded(.up)) + depth))
    }
}

extension BenchResult {
    /// Adds the run's own figures: errors, rounds, signing time, the load's shape.
    mutating func describe(_ run: MeasuredRun, connections: Int, depth: Int) {
        extras["completed"] = run.tally.completed
        extras["errors"] = run.tally.errors
        extras["measured_s"] = Self.round(run.seconds, 3)
        extras["rounds"] = run.rounds
        extras["presign_s"] = Self.round(run.signingSeconds, 3)
        extras["presigned_frames"] = run.signedFrames
        extras["connections"] = connections
        extras["depth"] = depth
        notes.append(
            "load      \(connections) connections x \(depth) in flight, "
                + "\(String(format: "%.2f", run.seconds)) s measured in \(run.rounds) round(s); "
                + "\(run.signedFrames) frames signed beforehand in "
                + "\(String(format: "%.1f", run.signingSeconds)) s")
        if run.loadWallSeconds > 0, let server = run.serverCPU, let generator = run.generatorCPU {
            // What the server did per core it actually got: other programs on a shared
            // machine take cores the bound counts on.
            let serverCores = server / run.loadWallSeconds
            let generatorCores = generator / run.loadWallSeconds
            let perCore = Double(run.tally.completed) * requestsPerOp / server
            let cpuRatio = perCore / bound.recoveriesPerSecond
            extras["server_cpu_cores"] = Self.round(serverCores, 2)
            extras["generator_cpu_cores"] = Self.round(generatorCores, 2)
            extras["cpu_ratio"] = Self.round(cpuRatio, 4)
            notes.append(
                "cpu       server \(String(format: "%.2f", serverCores)) cores, generator "
                    + "\(String(format: "%.2f", generatorCores)) cores while the load ran; "
                    + "per server CPU second \(Self.grouped(perCore)) signed requests = "
                    + "\(String(format: "%.3f", cpuRatio)) of one core's recoveries")
        }
        if let bytes = run.serverWrites, run.tally.completed > 0 {
            let perOp = Double(bytes) / Double(run.tally.completed)
            extras["server_disk_write_bytes_per_op"] = Self.round(perOp, 0)
            if bytes > 0 {
                notes.append("disk      \(Self.grouped(perOp)) bytes written per operation")
            }
        }
        if run.tally.errors > 0 {
            extras["first_error"] = run.tally.firstError ?? "?"
            notes.append(
                "errors    \(run.tally.errors) (first: \(run.tally.firstError ?? "?"))")
        }
    }
}
