import Foundation
import Glibc
import Wire

/// The most signed requests per second the server could verify: every signed request costs
/// one public-key recovery, so no scenario can beat cores × recoveries per second on one
/// core, whatever else the server does.
struct RecoveryBound {
    let recoveriesPerSecond: Double
    let cores: Int
    /// The samples `recoveriesPerSecond` was made from, in the order taken (the first
    /// before any load); empty for a single measurement.
    var measurements: [Double] = []

    var opsPerSecond: Double { recoveriesPerSecond * Double(cores) }

    /// Recovers the signers of distinct signatures in a tight loop on this thread for about
    /// `seconds` of its CPU time, as the server does for each request. Counting CPU time
    /// rather than wall time keeps the figure that of a whole core even when other programs
    /// share the machine.
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

    /// Distinct signatures the measurement cycles through. A loop over one signature runs
    /// about 6% faster than a server can: the branch predictor learns that one input's path
    /// through the variable-time parts of recovery (a C probe here: 23,400-23,700 against
    /// 22,100-22,300 per second over 4,096 signatures). A server never sees a signature
    /// twice, so a bound taken on one would not be reachable.
    static let sampleCount = 4_096

    /// Signatures of one key over distinct digests, made once: the server recovers the same
    /// key again and again on a connection, and looks its id up in a cache, as here.
    private static let samples: RecoverySamples = RecoverySamples(count: sampleCount)

    private static func recoveriesPerCPUSecond(seconds: Double) -> Double {
        let samples = Self.samples
        let count = samples.signatures.count
        var cache = SignerCache()

        // A short warm-up, then batches of 64 until the time is up.
        for i in 0..<64 {
            _ = try? samples.signatures[i].recoverSigner(digest: samples.digests[i], cache: &cache)
        }
        let start = ThreadCPUTime.now()
        let budget = UInt64(seconds * 1e9)
        var done = 0
        var elapsed: UInt64 = 0
        repeat {
            for _ in 0..<64 {
                let i = done % count
                let signer = try? samples.signatures[i].recoverSigner(
                    digest: samples.digests[i], cache: &cache)
                precondition(signer == samples.signer, "recovery must find the signer")
                done += 1
            }
            elapsed = ThreadCPUTime.now() - start
        } while elapsed < budget
        return Double(done) / (Double(elapsed) / 1e9)
    }
}

/// Signed digests of requests like the reads scenario's, each with its own request id.
private struct RecoverySamples: Sendable {
    let signer: ID
    let digests: [ID]
    let signatures: [Signature]

    init(count: Int) {
        let key = PrivateKey.generate()
        signer = key.id
        digests = (0..<count).map { i in
            Signing.digest(
                challenge: key.id, type: MessageType.getProcess.rawValue,
                requestId: UInt32(i + 1), sequence: UInt64(i + 1), body: key.id.bytes[...])
        }
        signatures = digests.map { key.sign(digest: $0) }
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
