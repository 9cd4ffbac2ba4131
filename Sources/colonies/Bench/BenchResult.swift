import CLICore
import Foundation

/// The figures of one scenario, printed as text or as one JSON object.
struct BenchResult {
    let scenario: BenchScenario
    /// Operations per second: requests, cycles, wake-ups, connections opened or assigns,
    /// as the scenario defines them.
    var opsPerSecond: Double = 0
    /// The bound the ratio is taken against: for a scenario that sampled it between slices
    /// of its load, the weighted mean of those samples (`MeasuredRun.bound(cores:)`); for
    /// the others, the highest measurement of the run so far (`BenchRun`).
    var bound: RecoveryBound
    /// Signed requests one operation costs (3 for a cycle), for the ratio to the bound.
    var requestsPerOp: Double = 1
    var latency = LatencySummary(nanoseconds: [])
    var serverKilobytes = 0
    /// Further figures, as JSON numbers or strings.
    var extras: [String: Any] = [:]
    /// Lines of explanation for the text output.
    var notes: [String] = []

    var ratio: Double {
        bound.opsPerSecond > 0 ? opsPerSecond * requestsPerOp / bound.opsPerSecond : 0
    }

    /// The JSON object: the fixed fields, then the extras.
    var jsonObject: [String: Any] {
        var object = extras
        object["scenario"] = scenario.rawValue
        object["ops_per_s"] = Self.round(opsPerSecond, 1)
        object["bound_ops_per_s"] = Self.round(bound.opsPerSecond, 1)
        object["ratio"] = Self.round(ratio, 4)
        object["p50_us"] = Self.round(latency.p50, 1)
        object["p99_us"] = Self.round(latency.p99, 1)
        object["p999_us"] = Self.round(latency.p999, 1)
        object["server_rss_kb"] = serverKilobytes
        return object
    }

    /// Compact JSON on one line, keys sorted, so that several scenarios give JSON lines.
    func jsonLine() throws(CommandError) -> String {
        do {
            let data = try JSONSerialization.data(
                withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw .failed("internal error: writing JSON failed: \(error)")
        }
    }

    var textLines: [String] {
        let name = scenario.rawValue
        var lines = ["\(name): \(Self.grouped(opsPerSecond)) ops/s"]
        if latency.count > 0 {
            lines.append(
                "  latency   p50 \(Self.micro(latency.p50))  p99 \(Self.micro(latency.p99))"
                    + "  p99.9 \(Self.micro(latency.p999))  (\(latency.count) samples)")
        }
        lines.append(
            "  bound     \(bound.cores) cores x \(Self.grouped(bound.recoveriesPerSecond)) "
                + "recoveries/s = \(Self.grouped(bound.opsPerSecond)) signed requests/s; "
                + "ratio \(String(format: "%.3f", ratio))"
                + (requestsPerOp == 1 ? "" : " (\(Int(requestsPerOp)) requests per op)"))
        lines.append("  server    \(Self.grouped(Double(serverKilobytes))) kB resident")
        lines += notes.map { "  " + $0 }
        return lines
    }

    static func round(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    static func grouped(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? "\(Int(value))"
    }

    static func micro(_ value: Double) -> String {
        String(format: "%.0f us", value)
    }
}
