import Client
import Foundation
import Wire

/// A well-behaved runtime that keeps working while a test abuses the server: on its own
/// thread it reads its colony, submits a process, takes it and closes it, over and over,
/// noting when each answer came. Abuse tests check it was answered all along.
final class HonestClientLoop: @unchecked Sendable {
    /// What the loop saw, from `start` to `stop`.
    struct Summary {
        var answers: Int
        /// The longest time without an answer, counting from the start and up to the stop.
        var longestSilence: Duration
        /// Calls that failed, described; an honest client should see none.
        var failures: [String]
    }

    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private var lastAnswer: ContinuousClock.Instant
    private var longestSilence = Duration.zero
    private var answers = 0
    private var failures: [String] = []
    private var stopping = false

    /// Connects and starts the loop on a new thread.
    init(server: TestServer, colony: PrivateKey, runtime: PrivateKey) throws {
        // From here on only the loop's thread uses the client.
        let client = UncheckedTransfer(try server.client(readTimeout: 15_000))
        startedAt = clock.now
        lastAnswer = startedAt
        let thread = Thread { [self] in
            run(client.value, colony: colony, runtime: runtime)
            finished.signal()
        }
        thread.name = "honest-client"
        thread.start()
    }

    /// Answers so far.
    var answerCount: Int {
        lock.withLock { answers }
    }

    /// Ends the loop after its current call and reports what it saw.
    func stop() -> Summary {
        lock.withLock { stopping = true }
        finished.wait()
        return lock.withLock {
            let tail = clock.now - lastAnswer
            return Summary(
                answers: answers, longestSilence: max(longestSilence, tail),
                failures: failures)
        }
    }

    private var shouldStop: Bool {
        lock.withLock { stopping }
    }

    private func run(_ client: ColoniesClient, colony: PrivateKey, runtime: PrivateKey) {
        while !shouldStop {
            do {
                _ = try client.getColony(colony.id, key: colony)
                noteAnswer()
                _ = try client.submit(echoSpec(colony: colony.id), runtimeKey: runtime)
                noteAnswer()
                if let taken = try client.assign(colony: colony.id, runtimeKey: runtime) {
                    noteAnswer()
                    try client.closeSuccessful(
                        taken.id, attempt: taken.attempt, runtimeKey: runtime)
                    noteAnswer()
                }
            } catch {
                // A failed connection stays failed, so one failure ends the loop.
                lock.withLock { failures.append("\(error)") }
                return
            }
        }
    }

    private func noteAnswer() {
        let now = clock.now
        lock.withLock {
            longestSilence = max(longestSilence, now - lastAnswer)
            lastAnswer = now
            answers += 1
        }
    }
}
