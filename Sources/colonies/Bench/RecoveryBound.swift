import Foundation
import Glibc
import Wire

/// The most signed requests per second the server could verify: every signed request costs
/// one public-key recovery, so no scenario can beat cores × recoveries per second on one
/// core, whatever else the server does.
struct RecoveryBound {
    let recoveriesPerSecond: Double
    let cores: Int

    var opsPerSecond: Double { recoveriesPerSecond * Double(cores) }

    /// Recovers the signer of one signature in a tight loop on this thread for about
    /// `seconds` of its CPU time. Counting CPU time rather than wall time keeps the figure
    /// that of a whole core even when other programs share the machine.
    static func measure(seconds: Double = 1) -> RecoveryBound {
        RecoveryBound(
            recoveriesPerSecond: recoveriesPerCPUSecond(seconds: seconds),
            cores: ProcessResources.cores)
    }

    /// Recoveries per CPU second of one core while every core recovers at once. Not the
    /// bound: it shows what the cores give when all are busy, which a server under full load
    /// is, and so how much of a ratio below 1 the machine itself accounts for.
    static func measureAllCoresBusy(seconds: Double = 1) -> Double {
        let cores = ProcessResources.cores
        let rates = SharedRates(count: cores)
        DispatchQueue.concurrentPerform(iterations: cores) { index in
            rates.set(index, recoveriesPerCPUSecond(seconds: seconds))
        }
        return rates.values.reduce(0, +) / Double(cores)
    }

    private static func recoveriesPerCPUSecond(seconds: Double) -> Double {
        let key = PrivateKey.generate()
        let digest = Signing.digest(
            challenge: key.id, type: MessageType.getProcess.rawValue, requestId: 1, sequence: 1,
            body: key.id.bytes[...])
        let signature = key.sign(digest: digest)
        let expected = key.id

        // A short warm-up, then batches of 64 until the time is up.
        for _ in 0..<64 { _ = try? signature.recoverSigner(digest: digest) }
        let start = ThreadCPUTime.now()
        let budget = UInt64(seconds * 1e9)
        var count = 0
        var elapsed: UInt64 = 0
        repeat {
            for _ in 0..<64 {
                let signer = try? signature.recoverSigner(digest: digest)
                precondition(signer == expected, "recovery must find the signer")
            }
            count += 64
            elapsed = ThreadCPUTime.now() - start
        } while elapsed < budget
        return Double(count) / (Double(elapsed) / 1e9)
    }
}

/// One result slot per measuring thread.
private final class SharedRates: @unchecked Sendable {
    private let lock = NSLock()
    private var rates: [Double]

    init(count: Int) { rates = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ rate: Double) { lock.withLock { rates[index] = rate } }

    var values: [Double] { lock.withLock { rates } }
}

/// The CPU time of the calling thread in nanoseconds.
enum ThreadCPUTime {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
