import Wire

/// One typed call per request of the protocol. Each signs with the key the rules ask for:
/// the server owner's for colonies, a colony's for its runtimes, a runtime's for processes.
extension ColoniesClient {
    /// Asks the server for its version; unsigned.
    public func ping() throws(ClientError) -> Pong {
        guard case .pong(let p) = try call(.ping, key: nil) else { throw .unexpectedReply(.ping) }
        return p
    }

    // MARK: Colonies (server owner)

    public func addColony(_ colony: Colony, serverKey: PrivateKey) throws(ClientError) -> Colony {
        guard case .colony(let c) = try call(.addColony(colony), key: serverKey) else {
            throw .unexpectedReply(.addColony)
        }
        return c
    }

    public func listColonies(serverKey: PrivateKey) throws(ClientError) -> [Colony] {
        guard case .colonies(let l) = try call(.listColonies, key: serverKey) else {
            throw .unexpectedReply(.listColonies)
        }
        return l.array
    }

    /// Signed by the server owner or the colony's owner.
    public func getColony(_ id: ID, key: PrivateKey) throws(ClientError) -> Colony {
        guard case .colony(let c) = try call(.getColony(colonyId: id), key: key) else {
            throw .unexpectedReply(.getColony)
        }
        return c
    }

    public func removeColony(_ id: ID, serverKey: PrivateKey) throws(ClientError) {
        try expectDone(.removeColony(colonyId: id), serverKey)
    }

    // MARK: Runtimes (the colony's owner)

    public func addRuntime(_ runtime: Runtime, colonyKey: PrivateKey) throws(ClientError)
        -> Runtime
    {
        try expectRuntime(.addRuntime(runtime), colonyKey)
    }

    public func listRuntimes(colony: ID, colonyKey: PrivateKey) throws(ClientError) -> [Runtime] {
        guard case .runtimes(let l) = try call(.listRuntimes(colonyId: colony), key: colonyKey)
        else { throw .unexpectedReply(.listRuntimes) }
        return l.array
    }

    public func getRuntime(_ id: ID, colonyKey: PrivateKey) throws(ClientError) -> Runtime {
        try expectRuntime(.getRuntime(runtimeId: id), colonyKey)
    }

    public func approveRuntime(_ id: ID, colonyKey: PrivateKey) throws(ClientError) -> Runtime {
        try expectRuntime(.approveRuntime(runtimeId: id), colonyKey)
    }

    public func rejectRuntime(_ id: ID, colonyKey: PrivateKey) throws(ClientError) -> Runtime {
        try expectRuntime(.rejectRuntime(runtimeId: id), colonyKey)
    }

    public func removeRuntime(_ id: ID, colonyKey: PrivateKey) throws(ClientError) {
        try expectDone(.removeRuntime(runtimeId: id), colonyKey)
    }

    // MARK: Processes (an approved runtime of the colony)

    public func submit(_ spec: ProcessSpec, runtimeKey: PrivateKey) throws(ClientError)
        -> Process
    {
        guard case .process(let p) = try call(.submitProcess(spec), key: runtimeKey) else {
            throw .unexpectedReply(.submitProcess)
        }
        return p
    }

    /// The process and its attributes.
    public func getProcess(_ id: ID, runtimeKey: PrivateKey) throws(ClientError)
        -> (process: Process, attributes: [Attribute])
    {
        guard case .processDetails(let p, let a) = try call(
            .getProcess(processId: id), key: runtimeKey)
        else { throw .unexpectedReply(.getProcess) }
        return (p, a.array)
    }

    /// The newest `count` processes of a colony in `state`, and whether more exist.
    public func listProcesses(
        colony: ID, state: ProcessState, count: UInt16, runtimeKey: PrivateKey
    ) throws(ClientError) -> (processes: [Process], truncated: Bool) {
        let request = Request.listProcesses(colonyId: colony, state: state, count: count)
        guard case .processes(let l, let truncated) = try call(request, key: runtimeKey) else {
            throw .unexpectedReply(.listProcesses)
        }
        return (l.array, truncated)
    }

    /// Work for this runtime, waiting up to `waitSeconds` for some to arrive; nil if none
    /// came. The returned process's `attempt` must be presented when closing it.
    public func assign(colony: ID, waitSeconds: UInt16 = 0, runtimeKey: PrivateKey)
        throws(ClientError) -> Process?
    {
        let request = Request.assignProcess(colonyId: colony, waitSeconds: waitSeconds)
        guard case .assignment(let p) = try call(
            request, key: runtimeKey, extraWait: Int32(waitSeconds) * 1000)
        else { throw .unexpectedReply(.assignProcess) }
        return p
    }

    public func closeSuccessful(_ id: ID, attempt: UInt32, runtimeKey: PrivateKey)
        throws(ClientError)
    {
        try expectDone(.closeSuccessful(processId: id, attempt: attempt), runtimeKey)
    }

    public func closeFailed(_ id: ID, attempt: UInt32, runtimeKey: PrivateKey)
        throws(ClientError)
    {
        try expectDone(.closeFailed(processId: id, attempt: attempt), runtimeKey)
    }

    public func removeProcess(_ id: ID, runtimeKey: PrivateKey) throws(ClientError) {
        try expectDone(.removeProcess(processId: id), runtimeKey)
    }

    /// Signed by an approved runtime of the colony or by the colony's owner.
    public func statistics(colony: ID, key: PrivateKey) throws(ClientError) -> Statistics {
        guard case .statistics(let s) = try call(.colonyStatistics(colonyId: colony), key: key)
        else { throw .unexpectedReply(.colonyStatistics) }
        return s
    }

    // MARK: Attributes

    public func addAttribute(_ attribute: NewAttribute, runtimeKey: PrivateKey)
        throws(ClientError) -> Attribute
    {
        guard case .attribute(let a) = try call(.addAttribute(attribute), key: runtimeKey) else {
            throw .unexpectedReply(.addAttribute)
        }
        return a
    }

    public func getAttribute(_ id: ID, runtimeKey: PrivateKey) throws(ClientError) -> Attribute {
        guard case .attribute(let a) = try call(.getAttribute(attributeId: id), key: runtimeKey)
        else { throw .unexpectedReply(.getAttribute) }
        return a
    }

    // MARK: Subscriptions

    /// Follows one process; returns the subscription id its events carry. The current
    /// state comes as the first event.
    public func subscribe(process: ID, runtimeKey: PrivateKey) throws(ClientError) -> UInt32 {
        try subscribe(.subscribeProcess(processId: process), runtimeKey)
    }

    /// Follows a colony's processes entering `state`.
    public func subscribe(colony: ID, entering state: ProcessState, runtimeKey: PrivateKey)
        throws(ClientError) -> UInt32
    {
        try subscribe(.subscribeColony(colonyId: colony, state: state), runtimeKey)
    }

    // MARK: Helpers

    private func subscribe(_ request: Request, _ key: PrivateKey) throws(ClientError) -> UInt32 {
        // The reply's request id is the subscription's id; events already queued stay queued.
        let id = try sendExpectingDone(request, key)
        return id
    }

    private func expectDone(_ request: Request, _ key: PrivateKey) throws(ClientError) {
        guard case .done = try call(request, key: key) else {
            throw .unexpectedReply(request.type)
        }
    }

    private func expectRuntime(_ request: Request, _ key: PrivateKey) throws(ClientError)
        -> Runtime
    {
        guard case .runtime(let r) = try call(request, key: key) else {
            throw .unexpectedReply(request.type)
        }
        return r
    }
}
