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
    /// One core's recoveries per second, measured before the first round and after each.
    var boundSamples: [Double] = []

    var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The bound over the whole run: the mean of the samples, taken evenly between slices
    /// of equal length, estimates what the cores could do while the load ran. Nil when
    /// the run took no samples.
    func bound(cores: Int) -> RecoveryBound? {
        guard !boundSamples.isEmpty else { return nil }
        let mean = boundSamples.reduce(0, +) / Double(boundSamples.count)
        return RecoveryBound(recoveriesPerSecond: mean, cores: cores, samples: boundSamples)
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

    /// Adds another stretch of measurement to this one.
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
        boundSamples += other.boundSamples
    }
}
