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
