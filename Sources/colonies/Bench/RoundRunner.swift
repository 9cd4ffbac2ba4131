/// Runs a scenario's load in slices until the measured time adds up to what was asked, with
/// the recovery bound sampled between them.
///
/// Before each slice the scenario signs the frames the slice may use, with the clock
/// stopped. A slice ends at its deadline (at most `slice` seconds) or when some connection
/// has spent its frames; what was in flight then is drained without being counted, and the
/// next slice signs a fresh batch and continues where the sequence numbers left off.
///
/// One core's recovery rate is sampled before the first slice and after each one, while no
/// load runs: the rate of a shared machine's cores changes from one second to the next (a
/// probe here saw 13,500 to 22,200 recoveries/s in successive half seconds), so the bound
/// is taken beside each slice of the load it is compared with, not only before and after
/// the whole run (`MeasuredRun.bound(cores:)`).
enum RoundRunner {
    /// The longest slice of load between two samples of the bound.
    static let slice = 2.0
    /// How long each sample of the bound recovers.
    static let sampleSeconds = 0.5

    static func run(
        seconds: Double, serverPID: Int32?, announce: (String) -> Void = { _ in },
        prepare: (_ sliceSeconds: Double) throws(BenchError) -> (pipelines: [LoadPipeline],
            frames: Int)
    ) throws(BenchError) -> MeasuredRun {
        var run = MeasuredRun()
        let planned = Int((seconds / slice).rounded(.up))
        // Slices also end early when frames run out; the extra ones leave room for that.
        let maxSlices = planned + 20
        run.boundSamples.append(sampleBound())

        while run.seconds < seconds - 0.01 && run.rounds < maxSlices {
            let length = min(seconds - run.seconds, slice)
            let signingStart = MonotonicTime.now()
            let (pipelines, frames) = try prepare(length)
            run.signingSeconds += Double(MonotonicTime.now() - signingStart) / 1e9
            run.signedFrames += frames

            announce(
                "load starts: slice \(run.rounds + 1) of \(max(planned, run.rounds + 1)), "
                    + "up to \(String(format: "%.1f", length)) s"
                    + (serverPID.map { ", server pid \($0)" } ?? ""))
            let meter = CPUMeter(serverPID: serverPID)
            let nanoseconds = try LoadDriver.run(pipelines, seconds: length)
            run.nanoseconds += nanoseconds
            run.sliceSeconds.append(Double(nanoseconds) / 1e9)
            run.add(meter)
            for pipeline in pipelines { run.tally.merge(pipeline.tally) }
            run.rounds += 1
            run.boundSamples.append(sampleBound())
        }
        return run
    }

    /// One core's recoveries per second over `sampleSeconds`, with no load running.
    private static func sampleBound() -> Double {
        RecoveryBound.measure(seconds: sampleSeconds).recoveriesPerSecond
    }

    /// Splits connections' indexes among `threads` pipelines, round robin.
    static func partition(_ count: Int, threads: Int) -> [[Int]] {
        let groups = max(1, min(threads, count))
        return (0..<groups).map { g in Array(stride(from: g, to: count, by: groups)) }
    }
}
