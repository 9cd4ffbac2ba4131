import Wire

/// The backlog scenario: does assigning get slower when many processes wait?
///
/// It times rounds of assigns with about 1,000 processes waiting (each round's assigns
/// submitted again, untimed, before the next), then fills the queue to --backlog and times
/// the same rounds again. The fill runs on a server restarted without flushes (it would
/// take far longer with them); the measurements run with synchronous durability as always.
enum BacklogScenario {
    static let shortQueue = 1_000
    static let assignsPerRound = 500
    static let rounds = 10
    /// Submits signed and sent per step of the fill, to bound the memory the frames take.
    static let fillStep = 200_000

    /// `progress` gets a line now and then during the fill, which takes minutes.
    static func run(
        _ options: BenchOptions, bound: RecoveryBound, progress: (String) -> Void
    ) throws(BenchError) -> BenchResult {
        let target = try BenchTarget(options.server)
        defer { target.finish() }
        guard target.pid != nil else {
            throw .setup("the backlog scenario restarts the server: run it without --host")
        }
        let fixture = try BenchFixture(
            host: target.host, port: target.port, serverKey: target.serverKey, runtimes: 1)
        let load = CountedLoad(target: target, fixture: fixture, options: options, bound: bound)

        _ = try load.submit(shortQueue)
        let (short, shortRounds) = try series(load, topUp: true)

        let fillStart = MonotonicTime.now()
        try target.restart(durable: false)
        var waiting = shortQueue
        while waiting < options.backlog {
            let step = min(fillStep, options.backlog - waiting)
            _ = try load.submit(step)
            waiting += step
            progress("backlog: \(waiting) processes waiting")
        }
        try target.restart(durable: true)
        let fillSeconds = Double(MonotonicTime.now() - fillStart) / 1e9

        // The queue is so long that taking 5,500 from it changes nothing: no top-up.
        let (long, longRounds) = try series(load, topUp: false)

        var result = BenchResult(scenario: .backlog, bound: bound)
        result.opsPerSecond = long.opsPerSecond
        result.latency = LatencySummary(nanoseconds: long.tally.latencies)
        result.serverKilobytes = target.residentKilobytes ?? 0
        let slowdown = long.opsPerSecond > 0 ? short.opsPerSecond / long.opsPerSecond : 0
        result.extras["backlog"] = options.backlog
        result.extras["assigns_per_s_short"] = BenchResult.round(short.opsPerSecond, 1)
        result.extras["assigns_per_s_long"] = BenchResult.round(long.opsPerSecond, 1)
        result.extras["short_over_long"] = BenchResult.round(slowdown, 3)
        result.extras["fill_s"] = BenchResult.round(fillSeconds, 1)
        result.extras["rounds_per_s_short"] = shortRounds.map { BenchResult.round($0, 1) }
        result.extras["rounds_per_s_long"] = longRounds.map { BenchResult.round($0, 1) }
        for (name, run) in [("short", short), ("long", long)] {
            if let bytes = run.serverWrites, run.tally.completed > 0 {
                let perOp = Double(bytes) / Double(run.tally.completed)
                result.extras["disk_write_bytes_per_assign_\(name)"] = BenchResult.round(perOp, 0)
            }
        }
        result.extras["errors"] = short.tally.errors + long.tally.errors
        let shortLatency = LatencySummary(nanoseconds: short.tally.latencies)
        result.extras["short_p50_us"] = BenchResult.round(shortLatency.p50, 1)
        result.extras["short_p99_us"] = BenchResult.round(shortLatency.p99, 1)
        result.notes.append(
            "backlog   assigns/s with \(shortQueue) waiting: "
                + "\(BenchResult.grouped(short.opsPerSecond)); with \(options.backlog) waiting: "
                + "\(BenchResult.grouped(long.opsPerSecond)) (ops/s and latency above); "
                + "\(String(format: "%.2f", slowdown))x slower; fill took "
                + "\(String(format: "%.0f", fillSeconds)) s")
        let listed = { (rates: [Double]) in
            rates.map { BenchResult.grouped($0) }.joined(separator: " ")
        }
        result.notes.append(
            "rounds    assigns/s per round, short queue: \(listed(shortRounds)); "
                + "long queue: \(listed(longRounds))")
        if let first = short.tally.firstError ?? long.tally.firstError {
            result.notes.append("errors    first: \(first)")
        }
        return result
    }

    /// One untimed warm-up round, then the timed rounds of assigns; with `topUp`, what each
    /// round assigned is submitted again (untimed) so the queue stays as long as it was.
    private static func series(_ load: CountedLoad, topUp: Bool) throws(BenchError)
        -> (MeasuredRun, [Double])
    {
        var total = MeasuredRun()
        var perRound: [Double] = []
        for round in 0...rounds {
            let run = try load.assign(assignsPerRound)
            if topUp { _ = try load.submit(assignsPerRound) }
            guard round > 0 else { continue }
            total.merge(run)
            perRound.append(run.opsPerSecond)
        }
        return (total, perRound)
    }
}

/// Sends a fixed number of one request over fresh connections, all signed first, and times
/// them from the first going out to the last answer.
struct CountedLoad {
    let target: BenchTarget
    let fixture: BenchFixture
    let options: BenchOptions
    let bound: RecoveryBound

    func submit(_ count: Int) throws(BenchError) -> MeasuredRun {
        try run(.submitProcess(fixture.spec), count: count)
    }

    func assign(_ count: Int) throws(BenchError) -> MeasuredRun {
        try run(.assignProcess(colonyId: fixture.colonyId, waitSeconds: 0), count: count)
    }

    private func run(_ request: Request, count: Int) throws(BenchError) -> MeasuredRun {
        let connectionCount = max(1, min(options.connections, count))
        var connections: [LoadConnection] = []
        for _ in 0..<connectionCount { connections.append(try target.connect()) }
        let jobs = connections.indices.map { index in
            // The first connections take one more when the count does not divide evenly.
            let share = count / connectionCount + (index < count % connectionCount ? 1 : 0)
            return SigningJob(
                request, count: share, key: fixture.runtimeKey, for: connections[index])
        }
        let streams = Presigner.sign(jobs, threads: bound.cores)
        let pipeline = ClosedLoopPipeline(
            connections: connections, streams: streams, depth: options.depth, untilSpent: true)

        var run = MeasuredRun()
        let meter = CPUMeter(serverPID: target.pid)
        run.nanoseconds = try LoadDriver.run([pipeline], seconds: 3600)
        run.add(meter)
        run.tally = pipeline.tally
        run.rounds = 1
        return run
    }
}
