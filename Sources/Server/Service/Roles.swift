import Store
import Wire

/// Who signed a request, as far as the rules care.
enum Role {
    case serverOwner
    case colonyOwner(Colony)
    case runtime(Runtime)
    case unknown
}

/// The rules of who may do what (spec/PROTOCOL.md, "Who may send it"). Each check returns
/// the caller's standing or the refusal that names the rule broken.
struct Rules: Sendable {
    let store: ColonyStore
    let serverOwner: ID

    /// Finds the signer among the server owner, the colonies and the runtimes.
    func role(of signer: ID) throws(StoreError) -> Role {
        if signer == serverOwner { return .serverOwner }
        if let colony = try store.colony(signer) { return .colonyOwner(colony) }
        if let runtime = try store.runtime(signer) { return .runtime(runtime) }
        return .unknown
    }

    func requireServerOwner(_ signer: ID) throws(Refusal) {
        guard signer == serverOwner else {
            throw try refusal(for: signer, .notServerOwner, "only the server owner may do this")
        }
    }

    /// The refusal for a signer who lacks a role: `unknownIdentity` when the signer is nobody
    /// the server knows (which is also what a frame signed for another connection's
    /// challenge recovers to), otherwise the rule's own code.
    func refusal(for signer: ID, _ code: ErrorCode, _ message: String) throws(Refusal) -> Refusal {
        let known: Role
        do { known = try role(of: signer) } catch { throw Refusal(storeError: error) }
        if case .unknown = known {
            return Refusal(.unknownIdentity, "the signer is not known here")
        }
        return Refusal(code, message)
    }

    /// The signer must own `colony` (its key is the colony's key).
    func requireColonyOwner(_ signer: ID, of colony: ID) throws(Refusal) -> Colony {
        let found: Colony?
        do { found = try store.colony(signer) } catch { throw Refusal(storeError: error) }
        guard let found else {
            throw try refusal(for: signer, .notColonyOwner, "only a colony's owner may do this")
        }
        guard found.id == colony else {
            throw Refusal(.notColonyOwner, "this is not your colony")
        }
        return found
    }

    /// The signer must be an approved runtime of `colony`.
    func requireMember(_ signer: ID, of colony: ID) throws(Refusal) -> Runtime {
        let runtime = try requireApprovedRuntime(signer)
        guard runtime.colonyId == colony else {
            throw Refusal(.notFound, "no such colony among yours")
        }
        return runtime
    }

    /// The signer must be an approved runtime of some colony.
    func requireApprovedRuntime(_ signer: ID) throws(Refusal) -> Runtime {
        let found: Runtime?
        do { found = try store.runtime(signer) } catch { throw Refusal(storeError: error) }
        guard let runtime = found else {
            throw try refusal(for: signer, .runtimeNotApproved, "only approved runtimes may do this")
        }
        guard runtime.state == .approved else {
            throw Refusal(
                .runtimeNotApproved, "runtime is \(runtime.state.name), not approved")
        }
        return runtime
    }
}

extension Refusal {
    /// A store failure, as the client sees it: full, or an internal error.
    init(storeError: StoreError) {
        switch storeError {
        case .storeFull:
            self.init(.storeFull, "the store is full; remove data or grow the map")
        case .closed:
            self.init(.shuttingDown, "the server is shutting down")
        default:
            self.init(.internalError, "store error: \(storeError)")
        }
    }
}
