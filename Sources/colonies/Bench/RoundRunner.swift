/// Runs a scenario's load in rounds until the measured time adds up to what was asked.
///
/// Before each round the scenario signs the frames the round may use, with the clock
/// stopped. A round ends at its deadline or when some connection has spent its frames;
/// what was in flight then is drained without being counted, and the next round signs a
/// fresh batch and continues where the sequence numbers left off. With frame budgets sized
/// from the recovery bound, one round is normally enough.
enum RoundRunner {
    static func run(
        seconds: Double, serverPID: Int32?, maxRounds: Int = 20,
        announce: (String) -> Void = { _ in },
        prepare: (_ remainingSeconds: Double) throws(BenchError) -> (pipelines: [LoadPipeline],
            frames: Int)
    ) throws(BenchError) -> MeasuredRun {
        var run = MeasuredRun()
        while run.seconds < seconds - 0.01 && run.rounds < maxRounds {
            let remaining = seconds - run.seconds
            let signingStart = MonotonicTime.now()
            let (pipelines, frames) = try prepare(remaining)
            run.signingSeconds += Double(MonotonicTime.now() - signingStart) / 1e9
            run.signedFrames += frames

            announce(
                "load starts: round \(run.rounds + 1), up to \(String(format: "%.1f", remaining)) s"
                    + (serverPID.map { ", server pid \($0)" } ?? ""))
            let meter = CPUMeter(serverPID: serverPID)
            run.nanoseconds += try LoadDriver.run(pipelines, seconds: remaining)
            run.add(meter)
            for pipeline in pipelines { run.tally.merge(pipeline.tally) }
            run.rounds += 1
        }
        return run
    }

    /// Splits connections' indexes among `threads` pipelines, round robin.
    static func partition(_ count: Int, threads: Int) -> [[Int]] {
        let groups = max(1, min(threads, count))
        return (0..<groups).map { g in Array(stride(from: g, to: count, by: groups)) }
    }
}
