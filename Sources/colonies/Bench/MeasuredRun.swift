/// What the measured part of a scenario gave.
struct MeasuredRun {
    var tally = Tally()
    var nanoseconds: UInt64 = 0
    var rounds = 0
    /// Wall time spent signing between rounds, outside the measured time.
    var signingSeconds = 0.0
    var signedFrames = 0
    /// CPU seconds the server and the generator used while the load ran (drains included),
    /// and the wall time that took.
    var serverCPU: Double?
    var generatorCPU: Double?
    var loadWallSeconds = 0.0
    /// Bytes the server wrote to storage while the load ran.
    var serverWrites: Int?
    /// One core's recoveries per second, sampled before the first slice and after each
    /// (`RoundRunner`), so one more than `sliceSeconds`.
    var boundSamples: [Double] = []
    /// The measured length of each slice of load.
    var sliceSeconds: [Double] = []

    var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The bound over the run: each slice is credited with the mean of the samples on its
    /// two sides, weighted by its length, which estimates what one core could do while that
    /// slice ran. Nil when the run took no samples between slices (the backlog scenario).
    func bound(cores: Int) -> RecoveryBound? {
        guard boundSamples.count == sliceSeconds.count + 1, !sliceSeconds.isEmpty else {
            return nil
        }
        var weighted = 0.0, total = 0.0
        for (index, length) in sliceSeconds.enumerated() {
            weighted += length * (boundSamples[index] + boundSamples[index + 1]) / 2
            total += length
        }
        guard total > 0 else { return nil }
        return RecoveryBound(
            recoveriesPerSecond: weighted / total, cores: cores, measurements: boundSamples)
    }

    var opsPerSecond: Double { seconds > 0 ? Double(tally.completed) / seconds : 0 }

    /// Adds what a `CPUMeter` saw over one stretch of load.
    mutating func add(_ meter: CPUMeter) {
        let used = meter.used()
        if let s = used.server { serverCPU = (serverCPU ?? 0) + s }
        if let g = used.generator { generatorCPU = (generatorCPU ?? 0) + g }
        if let w = meter.serverWrites() { serverWrites = (serverWrites ?? 0) + w }
        loadWallSeconds += used.wall
    }

    /// Adds another stretch of measurement to this one. Samples of the bound are not
    /// carried over: they belong to one run's sequence of slices.
    mutating func merge(_ other: MeasuredRun) {
        tally.merge(other.tally)
        nanoseconds += other.nanoseconds
        rounds += other.rounds
        signingSeconds += other.signingSeconds
        signedFrames += other.signedFrames
        if let s = other.serverCPU { serverCPU = (serverCPU ?? 0) + s }
        if let g = other.generatorCPU { generatorCPU = (generatorCPU ?? 0) + g }
        if let w = other.serverWrites { serverWrites = (serverWrites ?? 0) + w }
        loadWallSeconds += other.loadWallSeconds
    }
}
