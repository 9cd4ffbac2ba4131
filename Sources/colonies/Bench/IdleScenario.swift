import Glibc

/// The idle scenario: the server's resident memory with many connections that send nothing.
///
/// Memory is read from the child's /proc status before the connections open and again once
/// they have all read their hello and settled; the difference divided by their number is
/// the cost of one idle connection. ops/s here is connections opened per second (each one
/// accepted and greeted with a hello), the only rate the scenario has.
enum IdleScenario {
    static func run(_ options: BenchOptions, bound: RecoveryBound) throws(BenchError)
        -> BenchResult
    {
        let target = try BenchTarget(options.server)
        defer { target.finish() }
        guard target.pid != nil else {
            throw .setup("the idle scenario reads the server's memory: run it without --host")
        }
        settle()
        let before = target.memory ?? (0, 0, 0)

        let count = options.idleConnections
        var connections: [LoadConnection] = []
        connections.reserveCapacity(count)
        let start = MonotonicTime.now()
        for _ in 0..<count { connections.append(try target.connect()) }
        let openSeconds = Double(MonotonicTime.now() - start) / 1e9
        settle()
        let after = target.memory ?? (0, 0, 0)
        connections.removeAll()

        var result = BenchResult(scenario: .idle, bound: bound)
        result.opsPerSecond = Double(count) / openSeconds
        result.serverKilobytes = after.total
        let perConnection = Double(after.total - before.total) * 1024 / Double(count)
        result.extras["idle_connections"] = count
        result.extras["baseline_rss_kb"] = before.total
        result.extras["baseline_rss_anon_kb"] = before.anonymous
        result.extras["baseline_rss_file_kb"] = before.file
        result.extras["server_rss_anon_kb"] = after.anonymous
        result.extras["per_connection_bytes"] = BenchResult.round(perConnection, 0)
        result.notes.append(
            "idle      \(count) idle connections: \(before.total) kB before (\(before.anonymous) "
                + "kB anonymous, \(before.file) kB file-backed: executable and libraries), "
                + "\(after.total) kB with them (\(after.anonymous) kB anonymous); "
                + "\(Int(perConnection)) bytes per connection")
        result.notes.append(
            "          ops/s is connections opened (accepted and greeted) per second")
        return result
    }

    /// Lets the server finish what the last connections set off before memory is read.
    private static func settle() {
        usleep(1_500_000)
    }
}
