import Store
import Wire

/// Runtimes: only the owner of a colony adds, lists, gets, approves, rejects and removes
/// the colony's runtimes. A runtime of another colony is "not found" to them.
struct RuntimeRequests {
    let d: Dispatcher

    init(_ dispatcher: Dispatcher) { d = dispatcher }

    func handle(_ request: Request, signer: ID) throws(Refusal) {
        let rules = d.core.rules
        let core = d.core
        switch request {
        case .addRuntime(let runtime):
            _ = try rules.requireColonyOwner(signer, of: runtime.colonyId)
            d.mutate(.addRuntime) { records, now throws(StoreError) in try records.addRuntime(runtime, now: now) }
                reply: { .runtime($0) }
                after: {
                    core.log.info(
                        "runtime-added", ["runtime": $0.id.short, "colony": $0.colonyId.short])
                }

        case .listRuntimes(let colony):
            _ = try rules.requireColonyOwner(signer, of: colony)
            let all = try d.read { store throws(StoreError) in try store.runtimes(colony: colony) }
            d.reply(.runtimes(WireList(Array(all.prefix(Limits.maxListCount)))), to: .listRuntimes)

        case .getRuntime(let id):
            let colony = try ownColony(signer)
            guard let runtime = try d.read({ store throws(StoreError) in try store.runtime(id) }),
                runtime.colonyId == colony
            else { throw Refusal(.notFound, "no such runtime in your colony") }
            d.reply(.runtime(runtime), to: .getRuntime)

        case .approveRuntime(let id), .rejectRuntime(let id):
            let colony = try ownColony(signer)
            let approve = request.type == .approveRuntime
            d.mutate(request.type) { records, _ throws(StoreError) in
                try records.setRuntimeState(id, colony: colony, approve ? .approved : .rejected)
            } reply: { .runtime($0) } after: { runtime in
                if !approve { core.dismissWaiters(of: id, colony: colony) }
                core.log.info(
                    approve ? "runtime-approved" : "runtime-rejected",
                    ["runtime": id.short, "colony": colony.short])
            }

        case .removeRuntime(let id):
            let colony = try ownColony(signer)
            d.mutate(.removeRuntime) { records, now throws(StoreError) in
                try records.removeRuntime(id, colony: colony, now: now)
            }
                reply: { _ in .done }
                after: { requeued in
                    core.dismissWaiters(of: id, colony: colony)
                    core.log.info(
                        "runtime-removed",
                        ["runtime": id.short, "colony": colony.short, "requeued": "\(requeued.count)"])
                    for process in requeued { core.changed(process) }
                }

        default:
            preconditionFailure("not a runtime request: \(request.type)")
        }
    }

    /// The colony the signer owns.
    private func ownColony(_ signer: ID) throws(Refusal) -> ID {
        try d.core.rules.requireColonyOwner(signer, of: signer).id
    }
}
