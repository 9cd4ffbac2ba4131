import CLICore

/// One `colonies bench` run: the recovery bound first, then each scenario against a server
/// of its own, with the bound measured again after each. Scenarios that sample the bound
/// between slices of their load (`RoundRunner`) are held to those samples instead.
struct BenchRun {
    let options: BenchOptions
    let console: Console

    func run(report: (BenchResult) throws(CommandError) -> Void) throws(CommandError) {
        // Idle connections need a file descriptor each here and in the child, which inherits
        // the limit.
        let limit = ProcessResources.raiseOpenFileLimit(to: options.idleConnections + 1_024)
        var bound = RecoveryBound.measure()
        let allBusy = RecoveryBound.measureAllCoresBusy()
        if !options.json {
            console.write(
                "machine: \(bound.cores) cores, \(ProcessResources.cpuModel); "
                    + "\(BenchResult.grouped(bound.recoveriesPerSecond)) recoveries/s on one core"
                    + " (\(BenchResult.grouped(allBusy)) per core with all \(bound.cores) busy)"
                    + "; open-file limit \(limit)")
        }

        for scenario in options.scenarios {
            var result: BenchResult
            do {
                result = try runOne(scenario, bound: bound)
            } catch {
                throw .failed("bench \(scenario.rawValue): \(error)")
            }
            // Measured again after each scenario, and the highest kept for scenarios with no
            // samples of their own: another program busy during one measurement lowers it,
            // and a lower bound would flatter the ratio. Sampled scenarios keep the weighted
            // mean of their samples: on a shared host the highest of many samples is a fast
            // moment the load most likely did not get, so holding the load to it would be as
            // wrong as the flattering low one. Their text and JSON show the range, the
            // sample before any load and the mean of those after slices, so that a host that
            // slows down after load (which would flatter the ratio) shows up.
            let before = bound
            let after = RecoveryBound.measure()
            if after.recoveriesPerSecond > bound.recoveriesPerSecond { bound = after }
            if result.bound.measurements.isEmpty {
                result.bound = bound
            } else {
                describeSamples(&result)
            }
            if case .child(_, durable: false) = options.server {
                result.extras["unsafe_no_sync"] = true
                result.notes.append("durable   NO: the server ran with --unsafe-no-sync")
            }
            result.extras["cores"] = result.bound.cores
            result.extras["recoveries_per_s"] =
                BenchResult.round(result.bound.recoveriesPerSecond, 1)
            result.extras["recoveries_per_s_highest"] =
                BenchResult.round(bound.recoveriesPerSecond, 1)
            result.extras["recoveries_per_s_before"] =
                BenchResult.round(before.recoveriesPerSecond, 1)
            result.extras["recoveries_per_s_after"] =
                BenchResult.round(after.recoveriesPerSecond, 1)
            result.extras["recoveries_per_s_per_core_all_busy"] = BenchResult.round(allBusy, 1)
            if let pressure = ProcessResources.cpuPressure() {
                result.extras["cpu_pressure_avg10"] = pressure
                result.notes.append(
                    "machine   CPU pressure \(pressure)% over the last 10 s "
                        + "(time some task waited for a core; high means a busy, shared machine)")
            }
            try report(result)
        }
    }

    /// Names the samples a scenario's bound was made from. Called only with samples, the
    /// first taken before any load and at least one after a slice (`RoundRunner`).
    private func describeSamples(_ result: inout BenchResult) {
        let samples = result.bound.measurements
        guard let first = samples.first, let low = samples.min(), let high = samples.max()
        else { return }
        let later = samples.dropFirst()
        let laterMean = later.isEmpty ? first : later.reduce(0, +) / Double(later.count)

        result.extras["bound_sample_count"] = samples.count
        result.extras["bound_sample_min"] = BenchResult.round(low, 1)
        result.extras["bound_sample_max"] = BenchResult.round(high, 1)
        result.extras["bound_sample_before_load"] = BenchResult.round(first, 1)
        result.extras["bound_sample_after_slices_mean"] = BenchResult.round(laterMean, 1)
        result.notes.append(
            "bound     \(samples.count) samples of one core, "
                + "\(String(format: "%.1f", RoundRunner.sampleSeconds)) s each, before the "
                + "load and after each slice of at most \(Int(RoundRunner.slice)) s; each "
                + "slice is held to the mean of the two beside it")
        result.notes.append(
            "          samples \(BenchResult.grouped(low)) to \(BenchResult.grouped(high)) "
                + "recoveries/s; before any load \(BenchResult.grouped(first)), after slices "
                + "\(BenchResult.grouped(laterMean)) on average")
    }

    private func runOne(_ scenario: BenchScenario, bound: RecoveryBound) throws(BenchError)
        -> BenchResult
    {
        switch scenario {
        case .reads, .submits: return try ThroughputScenario.run(scenario, options, bound: bound)
        case .cycles: return try CycleScenario.run(options, bound: bound)
        case .wakeup: return try WakeupScenario.run(options, bound: bound)
        case .idle: return try IdleScenario.run(options, bound: bound)
        case .backlog:
            return try BacklogScenario.run(options, bound: bound, progress: options.progress)
        }
    }
}
