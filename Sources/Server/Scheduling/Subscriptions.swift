import Wire

/// Who wants to hear about which processes. Events are published from commit completions,
/// in commit order, so each subscriber sees a process's changes in the order they happened.
final class Subscriptions: Sendable {
    struct Subscriber: Sendable {
        let connectionToken: UInt64
        /// Queues the event frame on the subscriber's connection.
        let send: @Sendable (Process) -> Void
    }

    private struct ColonyState: Hashable {
        let colony: ID
        let state: ProcessState
    }

    private struct State {
        var byProcess: [ID: [Subscriber]] = [:]
        var byColonyState: [ColonyState: [Subscriber]] = [:]
    }

    private let state = Locked(State())

    /// Every change of one process.
    func add(process: ID, _ subscriber: Subscriber) {
        state.withLock { $0.byProcess[process, default: []].append(subscriber) }
    }

    /// Processes of a colony entering `processState`.
    func add(colony: ID, entering processState: ProcessState, _ subscriber: Subscriber) {
        let key = ColonyState(colony: colony, state: processState)
        state.withLock { $0.byColonyState[key, default: []].append(subscriber) }
    }

    func publish(_ process: Process) {
        let key = ColonyState(colony: process.colonyId, state: process.state)
        let targets = state.withLock { s in
            (s.byProcess[process.id] ?? []) + (s.byColonyState[key] ?? [])
        }
        for subscriber in targets { subscriber.send(process) }
    }

    func removeAll(connectionToken: UInt64) {
        state.withLock { s in
            for (key, list) in s.byProcess {
                let kept = list.filter { $0.connectionToken != connectionToken }
                if kept.count != list.count { s.byProcess[key] = kept.isEmpty ? nil : kept }
            }
            for (key, list) in s.byColonyState {
                let kept = list.filter { $0.connectionToken != connectionToken }
                if kept.count != list.count { s.byColonyState[key] = kept.isEmpty ? nil : kept }
            }
        }
    }

    var count: Int {
        state.withLock { s in
            s.byProcess.values.reduce(0) { $0 + $1.count }
                + s.byColonyState.values.reduce(0) { $0 + $1.count }
        }
    }
}
