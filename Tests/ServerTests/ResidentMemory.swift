import Foundation
import Glibc

/// The test process's resident memory (VmRSS in /proc/self/status), which includes an
/// in-process server's.
enum ResidentMemory {
    /// Resident bytes now, or nil where /proc is not readable.
    static func current() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "VmRSS:   12345 kB"
            guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
            return kibibytes * 1024
        }
        return nil
    }
}

/// Samples resident memory every 20 ms on its own thread and keeps the highest value, so a
/// peak between two points a test looks at is not missed.
final class PeakMemoryWatch: @unchecked Sendable {
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var peak = 0
    private var stopping = false

    init() {
        sample()
        let thread = Thread { [self] in
            while !lock.withLock({ stopping }) {
                sample()
                Thread.sleep(forTimeInterval: 0.02)
            }
            finished.signal()
        }
        thread.name = "memory-watch"
        thread.start()
    }

    /// Stops sampling; the highest resident size seen, in bytes.
    func stop() -> Int {
        lock.withLock { stopping = true }
        finished.wait()
        sample()
        return lock.withLock { peak }
    }

    private func sample() {
        guard let now = ResidentMemory.current() else { return }
        lock.withLock { peak = max(peak, now) }
    }
}
