import Wire

/// The cycles scenario: K runtimes each keep D cycles (submit, assign, close) going.
enum CycleScenario {
    /// Assign waits this long when nothing waits (it should not happen: each cycle's assign
    /// follows its own submit), so that a miss costs a wait instead of a busy retry.
    static let assignWait: UInt16 = 2

    static func run(_ options: BenchOptions, bound: RecoveryBound) throws(BenchError)
        -> BenchResult
    {
        let target = try BenchTarget(options.server)
        defer { target.finish() }
        let runtimes = options.runtimes
        let fixture = try BenchFixture(
            host: target.host, port: target.port, serverKey: target.serverKey,
            runtimes: runtimes)

        var connections: [[LoadConnection]] = []
        for _ in 0..<runtimes {
            connections.append([try target.connect(), try target.connect(), try target.connect()])
        }
        let groups = RoundRunner.partition(runtimes, threads: options.threads)
        let submit = Request.submitProcess(fixture.spec)
        let assign = Request.assignProcess(colonyId: fixture.colonyId, waitSeconds: assignWait)

        let run = try RoundRunner.run(
            seconds: Double(options.seconds), serverPID: target.pid, announce: options.progress
        ) {
            (sliceSeconds) throws(BenchError) in
            // A cycle is three signed requests: the bound allows a third as many cycles.
            let cycles = bound.opsPerSecond / 3 * ThroughputScenario.margin * sliceSeconds
            let count = min(
                ThroughputScenario.maxFramesPerRound / (2 * runtimes),
                Int((cycles / Double(runtimes)).rounded(.up)) + options.depth)
            var jobs: [SigningJob] = []
            for lane in 0..<runtimes {
                let key = fixture.runtimeKeys[lane]
                jobs.append(SigningJob(submit, count: count, key: key, for: connections[lane][0]))
                // Room for the retries of assigns that found nothing.
                jobs.append(
                    SigningJob(
                        assign, count: count + 4 * options.depth, key: key,
                        for: connections[lane][1]))
            }
            let streams = Presigner.sign(jobs, threads: bound.cores)
            let pipelines: [LoadPipeline] = groups.map { group in
                let lanes = group.map { lane in
                    CycleLane(
                        runtimeKey: fixture.runtimeKeys[lane], submitter: connections[lane][0],
                        assigner: connections[lane][1], closer: connections[lane][2],
                        submits: streams[2 * lane], assigns: streams[2 * lane + 1])
                }
                return CyclePipeline(lanes: lanes, depth: options.depth)
            }
            return (pipelines, streams.reduce(0) { $0 + $1.count })
        }

        var result = BenchResult(scenario: .cycles, bound: run.bound(cores: bound.cores) ?? bound)
        result.opsPerSecond = run.opsPerSecond
        result.requestsPerOp = 3
        result.latency = LatencySummary(nanoseconds: run.tally.latencies)
        result.serverKilobytes = target.residentKilobytes ?? 0
        result.describe(run, connections: 3 * runtimes, depth: options.depth)
        result.extras["runtimes"] = runtimes
        result.notes.append(
            "cycles    \(runtimes) runtimes x \(options.depth) cycles in flight, 3 connections "
                + "per runtime (submit, assign, close); closes signed as assignments arrive; "
                + "latency is submit sent to close acknowledged")
        return result
    }
}
