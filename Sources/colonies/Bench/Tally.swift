import Wire

/// What one thread measured: operations completed, their latencies and the errors seen.
struct Tally {
    private(set) var completed = 0
    private(set) var latencies: [UInt64] = []
    private(set) var errors = 0
    private(set) var firstError: String?

    /// An operation that took `nanoseconds` finished in measured time.
    mutating func complete(nanoseconds: UInt64) {
        completed += 1
        latencies.append(nanoseconds)
    }

    /// An error frame came back; keeps the first message for the report.
    mutating func error(_ frame: Frame) {
        errors += 1
        guard firstError == nil else { return }
        if let body = try? ErrorBody.decode(exactly: frame.body) {
            firstError = "\(body.code.name): \(body.message.string)"
        } else {
            firstError = "an error frame"
        }
    }

    mutating func merge(_ other: Tally) {
        completed += other.completed
        latencies += other.latencies
        errors += other.errors
        firstError = firstError ?? other.firstError
    }
}

/// Percentiles of latencies in microseconds.
struct LatencySummary {
    let p50: Double
    let p99: Double
    let p999: Double
    let count: Int

    /// Nearest-rank percentiles of `nanoseconds` (zeros when there are none).
    init(nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)
            return Double(sorted[max(0, index)]) / 1000
        }
        p50 = rank(0.50)
        p99 = rank(0.99)
        p999 = rank(0.999)
    }
}
