import Foundation
import Glibc
import Wire

/// A workload the driver runs on a set of connections, all on one thread.
protocol LoadPipeline: AnyObject {
    var connections: [LoadConnection] { get }
    /// What was measured so far.
    var tally: Tally { get }
    /// Requests sent and not yet answered.
    var inFlight: Int { get }
    /// Whether a connection has run out of signed frames, so the round must end.
    var exhausted: Bool { get }

    /// Queues the first requests; the clock has just started.
    func start(now: UInt64) throws(BenchError)
    /// Handles a frame that came on `connections[index]`.
    func received(_ frame: Frame, on index: Int, now: UInt64) throws(BenchError)
    /// Sends nothing new from now on; answers still count towards nothing.
    func stop()
}

/// Runs pipelines for a fixed time, one thread each, then lets what is in flight come back.
///
/// Each thread polls its connections (non-blocking sockets), hands replies to its pipeline
/// and flushes what the pipeline queued. A round ends at the deadline or as soon as one
/// pipeline runs out of signed frames; the measured time is from the start to that moment.
enum LoadDriver {
    /// Runs one round and returns its measured length in nanoseconds.
    static func run(
        _ pipelines: [LoadPipeline], seconds: Double, drainSeconds: Double = 10
    ) throws(BenchError) -> UInt64 {
        let start = MonotonicTime.now()
        let control = RoundControl(stopAt: start + UInt64(seconds * 1e9))
        let failures = ResultSlots<BenchError?>(count: pipelines.count)
        let done = DispatchSemaphore(value: 0)

        for (index, pipeline) in pipelines.enumerated() {
            let box = Unchecked(pipeline)
            let thread = Thread {
                do throws(BenchError) {
                    try drive(box.value, control: control, drainSeconds: drainSeconds)
                    failures.set(index, nil)
                } catch {
                    control.stop(at: MonotonicTime.now())
                    failures.set(index, error)
                }
                done.signal()
            }
            thread.name = "bench-load-\(index)"
            thread.start()
        }
        for _ in pipelines { done.wait() }

        if let failure = failures.values().compactMap({ $0 }).first { throw failure }
        return control.stopAt - start
    }

    private static func drive(
        _ pipeline: LoadPipeline, control: RoundControl, drainSeconds: Double
    ) throws(BenchError) {
        let connections = pipeline.connections
        let sockets = connections.map(\.socket)
        var fds: [pollfd] = []
        try pipeline.start(now: MonotonicTime.now())
        var stopped = false
        var drainUntil: UInt64 = .max

        while true {
            let now = MonotonicTime.now()
            if !stopped && (now >= control.stopAt || pipeline.exhausted) {
                if pipeline.exhausted { control.stop(at: now) }
                pipeline.stop()
                stopped = true
                drainUntil = now + UInt64(drainSeconds * 1e9)
            }
            if stopped && (pipeline.inFlight == 0 || now >= drainUntil) { return }

            for connection in connections { try connection.flush() }
            let wantsWrite = connections.map(\.hasPendingOutput)
            let ready = try BenchSocket.poll(
                sockets, wantsWrite: wantsWrite, milliseconds: 5, into: &fds)
            let received = MonotonicTime.now()
            for index in ready {
                try connections[index].receiveFrames { (frame) throws(BenchError) in
                    try pipeline.received(frame, on: index, now: received)
                }
            }
        }
    }
}

/// When the current round stops, shared by its threads.
final class RoundControl: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: UInt64

    init(stopAt: UInt64) {
        deadline = stopAt
    }

    var stopAt: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return deadline
    }

    /// Brings the stop forward to `time` (never later).
    func stop(at time: UInt64) {
        lock.lock()
        deadline = min(deadline, time)
        lock.unlock()
    }
}

/// Hands a value that one thread owns at a time to another thread.
struct Unchecked<T>: @unchecked Sendable {
    let value: T

    init(_ value: T) {
        self.value = value
    }
}
