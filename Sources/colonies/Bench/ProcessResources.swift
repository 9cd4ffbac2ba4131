import Foundation
import Glibc

/// What the benchmark reads and sets about processes: resident memory, the open-file limit,
/// the core count.
enum ProcessResources {
    /// The resident set size of process `pid` in KiB (VmRSS in /proc/PID/status); nil when
    /// the process is gone or the file cannot be read.
    static func residentKilobytes(pid: Int32) -> Int? {
        memory(pid: pid)?.total
    }

    /// Resident memory of process `pid` in KiB: in all, anonymous (its own heap and stacks)
    /// and file-backed (the executable and shared libraries, shared with other processes
    /// using them).
    static func memory(pid: Int32) -> (total: Int, anonymous: Int, file: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        else { return nil }
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            guard name == "VmRSS" || name == "RssAnon" || name == "RssFile" else { continue }
            fields[name] = Int(line[line.index(after: colon)...].filter(\.isNumber))
        }
        guard let total = fields["VmRSS"] else { return nil }
        return (total, fields["RssAnon"] ?? 0, fields["RssFile"] ?? 0)
    }

    /// Raises this process's open-file limit to at least `wanted` (within the hard limit),
    /// so that children started afterwards inherit it. Returns the limit now in force.
    @discardableResult
    static func raiseOpenFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let target = min(rlim_t(wanted), limit.rlim_max)
        if limit.rlim_cur < target {
            limit.rlim_cur = target
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }

    /// CPU time (user and system) process `pid` has used so far, in seconds; nil when it
    /// is gone.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12])
        else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Bytes process `pid` has caused to be written to storage (write_bytes in
    /// /proc/PID/io); nil when it cannot be read.
    static func storageWrites(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("write_bytes:") })
        else { return nil }
        return Int(line.filter(\.isNumber))
    }

    /// The share of the last 10 s in which some runnable task waited for a CPU (the "some
    /// avg10" of /proc/pressure/cpu, 0 to 100): high values mean other programs competed
    /// with the benchmark. Nil where the kernel does not report pressure.
    static func cpuPressure() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/pressure/cpu", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("some") }),
            let field = line.split(separator: " ").first(where: { $0.hasPrefix("avg10=") })
        else { return nil }
        return Double(field.dropFirst("avg10=".count))
    }

    /// Cores online on this machine.
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The CPU model from /proc/cpuinfo, or "unknown".
    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

/// CPU time used by the server and the generator over a stretch of wall time.
struct CPUMeter {
    private let serverPID: Int32?
    private let start = MonotonicTime.now()
    private let generator = ProcessResources.cpuSeconds(pid: getpid())
    private let server: Double?
    private let writes: Int?

    /// Starts measuring this process and, when given, the server's.
    init(serverPID: Int32?) {
        self.serverPID = serverPID
        server = serverPID.flatMap { ProcessResources.cpuSeconds(pid: $0) }
        writes = serverPID.flatMap { ProcessResources.storageWrites(pid: $0) }
    }

    /// Bytes the server wrote to storage since `init`.
    func serverWrites() -> Int? {
        guard let before = writes, let pid = serverPID,
            let now = ProcessResources.storageWrites(pid: pid)
        else { return nil }
        return now - before
    }

    /// CPU seconds since `init` of the server and of this process, and the wall seconds.
    func used() -> (server: Double?, generator: Double?, wall: Double) {
        let wall = Double(MonotonicTime.now() - start) / 1e9
        let serverNow = serverPID.flatMap { ProcessResources.cpuSeconds(pid: $0) }
        let generatorNow = ProcessResources.cpuSeconds(pid: getpid())
        func difference(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b else { return nil }
            return b - a
        }
        return (difference(server, serverNow), difference(generator, generatorNow), wall)
    }
}
