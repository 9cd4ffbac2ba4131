import Foundation

/// The state every assign loop of a worker shares with whoever stops it: the phase, the
/// loops still running, and the processes in hand. All of it under one lock.
final class WorkerControl: @unchecked Sendable {
    /// Where a worker is on its way from running to gone. Only ever moves forward.
    enum Phase: Int, Comparable, Sendable {
        /// Taking work.
        case running
        /// Taking no new work; finishing the processes in hand.
        case stopping
        /// Killing the processes in hand and leaving.
        case killing

        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    private let condition = NSCondition()
    private var currentPhase = Phase.running
    private var loops = 0
    private var inHand = 0
    private var firstFailure: String?
    private var killedAt: Date?

    /// How long `waitUntilStopped` waits, once killing, for the loops to end (a loop may be
    /// stuck in a call to a server that does not answer).
    static let killWait: TimeInterval = 1

    var phase: Phase { locked { currentPhase } }

    /// Why the worker gave up on its own, if it did: a refusal retrying cannot fix.
    var failure: String? { locked { firstFailure } }

    /// Moves one phase on: running to stopping (a first signal), else to killing (a
    /// second). Returns the phase now.
    @discardableResult
    func escalate() -> Phase {
        locked {
            advance(to: currentPhase == .running ? .stopping : .killing)
            return currentPhase
        }
    }

    func stop() { locked { advance(to: .stopping) } }

    func kill() { locked { advance(to: .killing) } }

    /// Records why the worker cannot go on (the first reason wins) and stops it.
    func fail(_ reason: String) {
        locked {
            if firstFailure == nil { firstFailure = reason }
            advance(to: .stopping)
        }
    }

    func loopsStarting(_ count: Int) { locked { loops += count } }
    func loopEnded() { locked { loops -= 1 } }
    func tookProcess() { locked { inHand += 1 } }
    func finishedProcess() { locked { inHand -= 1 } }

    /// Sleeps `seconds`, or less if the phase reaches `phase` meanwhile.
    func pause(seconds: Double, unless phase: Phase) {
        let end = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while currentPhase < phase && condition.wait(until: end) {}
    }

    /// Processes the loops hold now: running, or being reported.
    var processesInHand: Int { locked { inHand } }

    /// Returns once every loop has ended. A loop ends once the worker stops and it holds no
    /// process; one waiting in an assign first waits that out and runs what it brings.
    func waitUntilEnded() {
        condition.lock()
        defer { condition.unlock() }
        while loops > 0 { condition.wait() }
    }

    /// Like `waitUntilEnded`, but once killing, returns at most `killWait` after the kill:
    /// the process exits from under loops still waiting on the server.
    func waitUntilStopped() {
        condition.lock()
        defer { condition.unlock() }
        while loops > 0 {
            if let killedAt {
                if !condition.wait(until: killedAt.addingTimeInterval(Self.killWait)) { return }
            } else {
                condition.wait()
            }
        }
    }

    // Called with the lock held.
    private func advance(to phase: Phase) {
        guard phase > currentPhase else { return }
        currentPhase = phase
        if phase == .killing { killedAt = Date() }
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body()
    }
}
