import Store
import Wire

/// Colonies: only the server owner adds, lists and removes them; a colony's owner may also
/// get its own.
struct ColonyRequests {
    let d: Dispatcher

    init(_ dispatcher: Dispatcher) { d = dispatcher }

    func handle(_ request: Request, signer: ID) throws(Refusal) {
        let rules = d.core.rules
        switch request {
        case .addColony(let colony):
            try rules.requireServerOwner(signer)
            let log = d.core.log
            d.mutate(.addColony) { records, _ throws(StoreError) in try records.addColony(colony) }
                reply: { .colony($0) }
                after: { log.info("colony-added", ["colony": $0.id.short]) }

        case .listColonies:
            try rules.requireServerOwner(signer)
            let all = try d.read { store throws(StoreError) in try store.colonies() }
            d.reply(.colonies(WireList(Array(all.prefix(Limits.maxListCount)))), to: .listColonies)

        case .getColony(let id):
            if signer != id { try rules.requireServerOwner(signer) }
            guard let colony = try d.read({ store throws(StoreError) in try store.colony(id) })
            else {
                // Asking for the colony of one's own key: without it, the signer is nobody.
                throw try rules.refusal(for: signer, .notFound, "no such colony")
            }
            d.reply(.colony(colony), to: .getColony)

        case .removeColony(let id):
            try rules.requireServerOwner(signer)
            let core = d.core
            d.mutate(.removeColony) { records, _ throws(StoreError) in try records.removeColony(id) }
                reply: { _ in .done }
                after: { _ in
                    // Its runtimes' waiting assigns end now, not when their waits run out.
                    for waiter in core.waiters.removeAll(colony: id) { waiter.deliver(nil) }
                    core.log.info("colony-removed", ["colony": id.short])
                }

        default:
            preconditionFailure("not a colony request: \(request.type)")
        }
    }
}
