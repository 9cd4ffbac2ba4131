/// Runs a scenario's load in rounds until the measured time adds up to what was asked.
///
/// Before each round the scenario signs the frames the round may use, with the clock
/// stopped. A round ends at its deadline (at most `slice` seconds) or when some connection
/// has spent its frames; what was in flight then is drained without being counted, and the
/// next round signs a fresh batch and continues where the sequence numbers left off.
///
/// With `sampleBound`, the recovery rate of one core is measured before the first round
/// and after each one, while no load runs: the rate of a shared machine's cores changes
/// from one second to the next (a probe here saw 13,500 to 22,200 recoveries/s in
/// successive half seconds), so the bound is taken beside each slice of the load it is
/// compared with, not only before and after the whole run.
enum RoundRunner {
    /// The longest round when the bound is sampled between rounds.
    static let boundSlice = 2.0
    /// How long each sample of the bound recovers.
    static let boundSampleSeconds = 0.5

    static func run(
        seconds: Double, serverPID: Int32?, slice: Double = .infinity,
        sampleBound: (() -> Double)? = nil,
        announce: (String) -> Void = { _ in },
        prepare: (_ roundSeconds: Double) throws(BenchError) -> (pipelines: [LoadPipeline],
            frames: Int)
    ) throws(BenchError) -> MeasuredRun {
        var run = MeasuredRun()
        // Rounds also end early when frames run out; the extra rounds leave room for that.
        let plannedRounds = slice.isFinite ? Int((seconds / slice).rounded(.up)) : 1
        let maxRounds = plannedRounds + 20
        if let sampleBound { run.boundSamples.append(sampleBound()) }

        while run.seconds < seconds - 0.01 && run.rounds < maxRounds {
            let remaining = min(seconds - run.seconds, slice)
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
            if let sampleBound { run.boundSamples.append(sampleBound()) }
        }
        return run
    }

    /// Splits connections' indexes among `threads` pipelines, round robin.
    static func partition(_ count: Int, threads: Int) -> [[Int]] {
        let groups = max(1, min(threads, count))
        return (0..<groups).map { g in Array(stride(from: g, to: count, by: groups)) }
    }
}
