import Store
import Wire

/// Processes: only approved runtimes of a colony submit, get, list, assign and remove its
/// processes; only the runtime a process is assigned to closes it, with the current attempt.
struct ProcessRequests {
    let d: Dispatcher

    init(_ dispatcher: Dispatcher) { d = dispatcher }

    func handle(_ request: Request, signer: ID) throws(Refusal) {
        let rules = d.core.rules
        let core = d.core
        switch request {
        case .submitProcess(let spec):
            _ = try rules.requireMember(signer, of: spec.conditions.colonyId)
            // Time first: the processes a colony runs next, its oldest, share store pages.
            let id = Random.id(leadingTime: Clock.wallNanoseconds())
            let handoff = Handoff(core: core, conditions: spec.conditions)
            d.mutate(.submitProcess) { records, now throws(StoreError) in
                switch try records.submit(spec, id: id, now: now) {
                case .success(let submitted):
                    let assigned = try handoff.assign(&records, now: now)
                    return .success(Submitted(process: submitted, assigned: assigned))
                case .failure(let refusal):
                    return .failure(refusal)
                }
            } reply: { .process($0.process) } after: {
                handoff.committed($0.process, assigned: $0.assigned)
            } otherwise: {
                handoff.released()
            }

        case .getProcess(let id):
            try getProcess(id, signer: signer)

        case .listProcesses(let colony, let state, let count):
            _ = try rules.requireMember(signer, of: colony)
            let page = try d.read { store throws(StoreError) in
                try store.processes(colony: colony, state: state, limit: Int(count))
            }
            let (list, truncated) = Self.fitting(page.processes)
            d.reply(.processes(list, truncated: truncated || page.more), to: .listProcesses)

        case .assignProcess(let colony, let wait):
            let runtime = try rules.requireMember(signer, of: colony)
            Scheduling(core: core).assign(
                runtime: runtime, waitSeconds: wait, connection: d.connection,
                requestId: d.requestId)

        case .closeSuccessful(let id, let attempt), .closeFailed(let id, let attempt):
            let runtime = try rules.requireApprovedRuntime(signer)
            // Another colony's process is not found, whatever its state or runtime.
            _ = try visibleProcess(id, to: runtime)
            let successful = request.type == .closeSuccessful
            d.mutate(request.type) { records, now throws(StoreError) in
                try records.close(
                    id, runtime: runtime.id, attempt: attempt, successful: successful, now: now)
            } reply: { _ in .done } after: { core.changed($0) }

        case .removeProcess(let id):
            let runtime = try rules.requireApprovedRuntime(signer)
            d.mutate(.removeProcess) { records, _ throws(StoreError) in
                try records.removeProcess(id, colony: runtime.colonyId)
            } reply: { _ in .done }

        case .colonyStatistics(let colony):
            // Its owner may read them too; a key whose colony does not exist is nobody here.
            var owner = false
            if signer == colony {
                owner = try d.read { store throws(StoreError) in try store.colony(colony) } != nil
            }
            if !owner { _ = try rules.requireMember(signer, of: colony) }
            let stats = try d.read { store throws(StoreError) in
                try store.statistics(colony: colony)
            }
            d.reply(.statistics(stats), to: .colonyStatistics)

        default:
            preconditionFailure("not a process request: \(request.type)")
        }
    }

    /// Get process, answered with the stored bytes of the process and its attributes.
    private func getProcess(_ id: ID, signer: ID) throws(Refusal) {
        let store = d.core.store
        var outcome = ProcessDetailsOutcome.notVisible
        let frame: [UInt8]
        do {
            frame = try d.connection.state.encoder.reply(to: .getProcess, requestId: d.requestId) {
                w throws(StoreError) in
                outcome = try store.writeProcessDetails(id, for: signer, into: &w)
            }
        } catch {
            throw Refusal(storeError: error)
        }

        switch outcome {
        case .written:
            d.connection.sendRaw(frame)
        case .notVisible:
            throw Refusal(.notFound, "no such process in your colony")
        case .callerNotApproved:
            // The rules name what the caller lacks; should the runtime have been approved
            // since, it is told to ask again.
            _ = try d.core.rules.requireApprovedRuntime(signer)
            throw Refusal(.runtimeNotApproved, "the runtime was approved just now; ask again")
        }
    }

    /// The process, if it belongs to the runtime's colony; "not found" otherwise, so that
    /// nobody learns what other colonies hold.
    func visibleProcess(_ id: ID, to runtime: Runtime) throws(Refusal) -> Process {
        guard let process = try d.read({ store throws(StoreError) in try store.process(id) }),
            process.colonyId == runtime.colonyId
        else { throw Refusal(.notFound, "no such process in your colony") }
        return process
    }

    /// A stored submit, and the assignment made in its transaction to a runtime that waited.
    struct Submitted: Sendable {
        let process: Process
        let assigned: Process?
    }

    /// As many processes as fit in one frame, and whether some were left out.
    static func fitting(_ processes: [Process]) -> (WireList<Process>, Bool) {
        // Leave room for the header, the count and the truncated flag.
        var budget = Limits.maxFrameBytes - 64
        var kept: [Process] = []
        for process in processes {
            let size = process.encoded.count
            guard size <= budget else { return (WireList(kept), true) }
            budget -= size
            kept.append(process)
        }
        return (WireList(kept), false)
    }
}
