import Store
import Wire

/// Subscriptions: an approved runtime of a colony may follow one of its processes (every
/// change, starting with the current state at once) or the colony's processes entering a
/// state. Events carry the subscribe request's id until the connection closes.
struct SubscriptionRequests {
    let d: Dispatcher

    init(_ dispatcher: Dispatcher) { d = dispatcher }

    func handle(_ request: Request, signer: ID) throws(Refusal) {
        let rules = d.core.rules
        let subscriber = Subscriptions.Subscriber(
            connectionToken: d.connection.state.token, send: eventSender())

        switch request {
        case .subscribeProcess(let id):
            let runtime = try rules.requireApprovedRuntime(signer)
            guard let process = try d.read({ store throws(StoreError) in try store.process(id) }),
                process.colonyId == runtime.colonyId
            else { throw Refusal(.notFound, "no such process in your colony") }

            // Subscribe first, then read: a change that lands in between is sent twice
            // rather than missed.
            d.core.subscriptions.add(process: id, subscriber)
            d.reply(.done, to: .subscribeProcess)
            let current = (try? d.core.store.process(id)) ?? nil
            subscriber.send(current ?? process)

        case .subscribeColony(let colony, let state):
            _ = try rules.requireMember(signer, of: colony)
            d.core.subscriptions.add(colony: colony, entering: state, subscriber)
            d.reply(.done, to: .subscribeColony)

        default:
            preconditionFailure("not a subscription request: \(request.type)")
        }
    }

    private func eventSender() -> @Sendable (Process) -> Void {
        let connection = d.connection
        let requestId = d.requestId
        return { process in
            connection.loop.execute {
                let bytes = connection.state.encoder.event(process, subscription: requestId)
                connection.sendRaw(bytes)
            }
        }
    }
}
