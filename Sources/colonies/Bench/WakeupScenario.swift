import Glibc
import Wire

/// The wakeup scenario: how long a runtime already waiting in an assign takes to get a
/// process after it is submitted.
///
/// One sample at a time: the runtime sends a waiting assign; after a pause long enough for
/// the server to commit that assign and park it, a second connection submits; the sample
/// is the time from the submit going out to the assignment arriving. The pause is not
/// measured, so samples per second says nothing about throughput.
enum WakeupScenario {
    static let assignWait: UInt16 = 30
    /// The pause lasts at least this long, and at least four commit times.
    static let minimumPause: UInt64 = 10_000_000

    static func run(_ options: BenchOptions, bound: RecoveryBound) throws(BenchError)
        -> BenchResult
    {
        let target = try BenchTarget(options.server)
        defer { target.finish() }
        let fixture = try BenchFixture(
            host: target.host, port: target.port, serverKey: target.serverKey, runtimes: 1)
        let waiter = try target.connect()
        let submitter = try target.connect()

        // Signed before anything is measured: enough for a sample every pause, plus warm-up.
        let most = options.seconds * Int(1e9 / Double(minimumPause)) + 16
        let assign = Request.assignProcess(colonyId: fixture.colonyId, waitSeconds: assignWait)
        let submit = Request.submitProcess(fixture.spec)
        let streams = Presigner.sign(
            [SigningJob(assign, count: most, key: fixture.runtimeKey, for: waiter),
             SigningJob(submit, count: most, key: fixture.runtimeKey, for: submitter)],
            threads: bound.cores)
        var sampler = WakeupSampler(
            waiter: waiter, submitter: submitter, assigns: streams[0], submits: streams[1])

        // A few submits alone, assigned at once, to learn how long a commit takes here.
        let commit = try sampler.commitTime(samples: 5)
        let pause = max(minimumPause, 4 * commit)

        let start = MonotonicTime.now()
        let end = start + UInt64(options.seconds) * 1_000_000_000
        var wakeups = Tally()
        var acknowledgements: [UInt64] = []
        while MonotonicTime.now() < end, sampler.canSample {
            let sample = try sampler.sample(pause: pause)
            if let error = sample.error {
                wakeups.error(error)
            } else {
                wakeups.complete(nanoseconds: sample.wakeup)
                acknowledgements.append(sample.acknowledged)
            }
        }
        let seconds = Double(MonotonicTime.now() - start) / 1e9

        var result = BenchResult(scenario: .wakeup, bound: bound)
        result.opsPerSecond = Double(wakeups.completed) / seconds
        result.latency = LatencySummary(nanoseconds: wakeups.latencies)
        result.serverKilobytes = target.residentKilobytes ?? 0
        let acks = LatencySummary(nanoseconds: acknowledgements)
        result.extras["samples"] = wakeups.completed
        result.extras["errors"] = wakeups.errors
        result.extras["pause_ms"] = BenchResult.round(Double(pause) / 1e6, 2)
        result.extras["submit_ack_p50_us"] = BenchResult.round(acks.p50, 1)
        result.extras["submit_ack_p99_us"] = BenchResult.round(acks.p99, 1)
        result.notes.append(
            "wakeup    \(wakeups.completed) samples, one at a time, "
                + "\(String(format: "%.1f", Double(pause) / 1e6)) ms pause before each submit "
                + "(not measured); submit acknowledged p50 "
                + "\(BenchResult.micro(acks.p50)), p99 \(BenchResult.micro(acks.p99))")
        if let first = wakeups.firstError {
            result.notes.append("errors    \(wakeups.errors) (first: \(first))")
        }
        return result
    }
}

/// Takes wakeup samples on two connections: one waits in assigns, one submits.
struct WakeupSampler {
    let waiter: LoadConnection
    let submitter: LoadConnection
    var assigns: SignedStream
    var submits: SignedStream
    private var fds: [pollfd] = []

    init(
        waiter: LoadConnection, submitter: LoadConnection, assigns: SignedStream,
        submits: SignedStream
    ) {
        self.waiter = waiter
        self.submitter = submitter
        self.assigns = assigns
        self.submits = submits
    }

    struct Sample {
        /// From the submit going out to the assignment arriving.
        var wakeup: UInt64 = 0
        /// From the submit going out to its acknowledgement.
        var acknowledged: UInt64 = 0
        /// The error frame, if the server refused either request.
        var error: Frame?
    }

    var canSample: Bool { assigns.remaining > 0 && submits.remaining > 0 }

    /// The median time of a few submits, each taken at once by an assign that follows it.
    mutating func commitTime(samples: Int) throws(BenchError) -> UInt64 {
        var times: [UInt64] = []
        for _ in 0..<samples {
            let sent = MonotonicTime.now()
            let submitId = try send(&submits, on: submitter)
            let acknowledged = try answers(to: [(submitter, submitId)])
            times.append(acknowledged[0].time - sent)
            let assignId = try send(&assigns, on: waiter)
            _ = try answers(to: [(waiter, assignId)])
        }
        return times.sorted()[times.count / 2]
    }

    /// One sample: park an assign, pause, submit, wait for both answers.
    mutating func sample(pause: UInt64) throws(BenchError) -> Sample {
        let assignId = try send(&assigns, on: waiter)
        usleep(UInt32(pause / 1000))

        let sent = MonotonicTime.now()
        let submitId = try send(&submits, on: submitter)
        let answers = try answers(to: [(submitter, submitId), (waiter, assignId)])
        var sample = Sample()
        sample.acknowledged = answers[0].time - sent
        sample.wakeup = answers[1].time - sent
        sample.error = answers[0].error ?? answers[1].error
        return sample
    }

    private func send(_ stream: inout SignedStream, on connection: LoadConnection)
        throws(BenchError) -> UInt32
    {
        let requestId = stream.nextRequestId
        guard let frame = stream.next() else { throw .setup("out of signed frames") }
        connection.enqueue(frame)
        try connection.flush()
        return requestId
    }

    /// An answer awaited: when it came, and the frame if it was an error.
    struct Answer {
        var time: UInt64 = 0
        var error: Frame?
    }

    /// Waits for the answer to each (connection, request id), at most 60 s in all, noting
    /// when each arrived.
    private mutating func answers(to requests: [(LoadConnection, UInt32)])
        throws(BenchError) -> [Answer]
    {
        let deadline = MonotonicTime.now() + 60_000_000_000
        var answers = Array(repeating: Answer(), count: requests.count)
        var missing = requests.count
        let sockets = requests.map { $0.0.socket }
        while missing > 0 {
            guard MonotonicTime.now() < deadline else { throw .timedOut("a wakeup sample") }
            let ready = try BenchSocket.poll(
                sockets, wantsWrite: Array(repeating: false, count: sockets.count),
                milliseconds: 100, into: &fds)
            let now = MonotonicTime.now()
            for index in ready {
                let (connection, requestId) = requests[index]
                try connection.receiveFrames { (frame) throws(BenchError) in
                    guard frame.requestId == requestId, answers[index].time == 0 else { return }
                    answers[index].time = now
                    if frame.typeByte == MessageType.error.rawValue { answers[index].error = frame }
                    missing -= 1
                }
            }
        }
        return answers
    }
}
