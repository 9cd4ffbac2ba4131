import CLICore

/// One `colonies bench` run: the recovery bound first, then each scenario against a server
/// of its own, with the bound measured again after each. Scenarios that sample the bound
/// between slices of their load (`RoundRunner`) are compared with those samples.
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
            // Measured again after each scenario: another program busy during one
            // measurement lowers it, and a lower bound would flatter the ratio. A scenario
            // that sampled the bound between slices of its load keeps its own (the mean of
            // those samples); the others are held to the highest measurement so far.
            let before = bound
            let after = RecoveryBound.measure()
            if after.recoveriesPerSecond > bound.recoveriesPerSecond { bound = after }
            if result.bound.samples.isEmpty {
                result.bound = bound
            } else {
                describeSamples(&result)
            }
            if case .child(_, durable: false) = options.server {
                result.extras["unsafe_no_sync"] = true
                result.notes.append("durable   NO: the server ran with --unsafe-no-sync")
            }
            result.extras["cores"] = bound.cores
            result.extras["recoveries_per_s"] = BenchResult.round(bound.recoveriesPerSecond, 1)
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

    private func describeSamples(_ result: inout BenchResult) {
        let samples = result.bound.samples
        let low = samples.min() ?? 0, high = samples.max() ?? 0
        result.extras["recoveries_per_s_samples"] = samples.count
        result.extras["recoveries_per_s_min"] = BenchResult.round(low, 1)
        result.extras["recoveries_per_s_max"] = BenchResult.round(high, 1)
        result.notes.append(
            "bound     the mean of \(samples.count) measurements of one core, "
                + "\(String(format: "%.1f", RoundRunner.boundSampleSeconds)) s each, before, "
                + "between and after slices of at most \(Int(RoundRunner.boundSlice)) s of load: "
                + "\(BenchResult.grouped(low)) to \(BenchResult.grouped(high)) recoveries/s")
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
