import Store
import Wire

/// Carries out one verified request: checks the rules, reads or writes the store, replies.
///
/// Reads are answered at once on the loop thread. Writes go to the group committer; their
/// replies go out through the connection's loop once the commit is durable, and whatever the
/// change sets off (events, wake-ups) happens in the commit's completion, in commit order.
struct Dispatcher {
    let core: ServerCore
    let connection: Connection<RequestHandler>
    let requestId: UInt32

    func dispatch(_ request: Request, signer: ID?) {
        guard let signer else {
            // Only ping is unsigned; the verifier refuses every other unsigned request.
            let pong = Pong(
                protocolVersion: FrameLayout.version, serverVersion: Text(ServerVersion.string),
                serverId: core.configuration.serverOwner)
            reply(.pong(pong), to: .ping)
            return
        }

        do {
            try route(request, signer: signer)
        } catch let refusal {
            fail(refusal, request.type, signer: signer)
        }
    }

    private func route(_ request: Request, signer: ID) throws(Refusal) {
        let rules = core.rules
        switch request {
        case .ping:
            break
        case .addColony, .listColonies, .getColony, .removeColony:
            try ColonyRequests(self).handle(request, signer: signer)
        case .addRuntime, .listRuntimes, .getRuntime, .approveRuntime, .rejectRuntime,
            .removeRuntime:
            try RuntimeRequests(self).handle(request, signer: signer)
        case .submitProcess, .getProcess, .listProcesses, .assignProcess, .closeSuccessful,
            .closeFailed, .removeProcess, .colonyStatistics:
            try ProcessRequests(self).handle(request, signer: signer)
        case .addAttribute(let new):
            let runtime = try rules.requireApprovedRuntime(signer)
            _ = try ProcessRequests(self).visibleProcess(new.processId, to: runtime)
            mutate(.addAttribute) { records, now throws(StoreError) in
                try records.addAttribute(new, runtime: runtime.id, now: now)
            } reply: { .attribute($0) }
        case .getAttribute(let id):
            let runtime = try rules.requireApprovedRuntime(signer)
            let found = try read { store throws(StoreError) in try store.attribute(id) }
            guard let attribute = found,
                let process = try read({ store throws(StoreError) in
                    try store.process(attribute.processId)
                }), process.colonyId == runtime.colonyId
            else { throw Refusal(.notFound, "no such attribute") }
            reply(.attribute(attribute), to: .getAttribute)
        case .subscribeProcess, .subscribeColony:
            try SubscriptionRequests(self).handle(request, signer: signer)
        }
    }

    // MARK: Replies

    /// Sends a reply now; only on the connection's loop thread.
    func reply(_ reply: Reply, to type: MessageType) {
        let bytes = connection.state.encoder.reply(reply, to: type, requestId: requestId)
        connection.sendRaw(bytes)
    }

    func fail(_ refusal: Refusal, _ type: MessageType, signer: ID?) {
        logRefusal(refusal, type, signer: signer)
        let bytes = connection.state.encoder.error(
            refusal.code, refusal.message, requestId: requestId)
        connection.sendRaw(bytes)
    }

    private func logRefusal(_ refusal: Refusal, _ type: MessageType, signer: ID?) {
        let fields: KeyValuePairs<String, String> = [
            "request": "\(type)", "code": refusal.code.name,
            "signer": signer?.short ?? "-", "connection": "\(connection.state.token)",
        ]
        switch refusal.code.rawValue {
        case 40..<50: core.log.info("rule-violation", fields)
        case 60..<70: core.log.warning("request-failed", fields)
        default: core.log.debug("request-refused", fields)
        }
    }

    /// Runs a store read, turning its failure into a refusal.
    func read<T>(_ body: (ColonyStore) throws(StoreError) -> T) throws(Refusal) -> T {
        do { return try body(core.store) } catch { throw Refusal(storeError: error) }
    }

    /// Hands a write to the group committer. Once it is durable, `after` runs in commit
    /// order on the writer thread (events, wake-ups), then the reply goes out on the loop.
    /// When the write is refused or fails, `otherwise` runs there instead.
    func mutate<T: Sendable>(
        _ type: MessageType,
        _ body: @escaping @Sendable (inout Records, Int64) throws(StoreError) -> Result<T, Refusal>,
        reply makeReply: @escaping @Sendable (T) -> Reply,
        after: @escaping @Sendable (T) -> Void = { _ in },
        otherwise: @escaping @Sendable () -> Void = {}
    ) {
        guard connection.state.inFlight < core.configuration.maxInFlightPerConnection else {
            fail(
                Refusal(.overloaded, "too many requests in flight; wait for replies"),
                type, signer: nil)
            return
        }
        connection.state.inFlight += 1

        let responder = Responder(connection: connection, requestId: requestId, type: type)
        let log = core.log
        core.store.mutate({ (records: inout Records) throws(StoreError) in
            try body(&records, Clock.wallNanoseconds())
        }, completion: { result in
            switch result {
            case .success(.success(let value)):
                after(value)
                responder.send(.success(makeReply(value)))
            case .success(.failure(let refusal)):
                otherwise()
                responder.send(.failure(refusal))
            case .failure(let error):
                otherwise()
                log.warning("store-write-failed", ["request": "\(type)", "error": "\(error)"])
                responder.send(.failure(Refusal(storeError: error)))
            }
        })
    }
}

/// Sends the outcome of a write from the writer thread back through the connection's loop.
struct Responder: Sendable {
    let connection: Connection<RequestHandler>
    let requestId: UInt32
    let type: MessageType

    /// Queues the reply; `undelivered` runs on the loop thread if the connection is gone.
    func send(
        _ outcome: Result<Reply, Refusal>, undelivered: @escaping @Sendable () -> Void = {}
    ) {
        let connection = self.connection
        let requestId = self.requestId
        let type = self.type
        let queued = connection.loop.execute {
            connection.state.inFlight -= 1
            let bytes: [UInt8]
            switch outcome {
            case .success(let reply):
                bytes = connection.state.encoder.reply(reply, to: type, requestId: requestId)
            case .failure(let refusal):
                bytes = connection.state.encoder.error(
                    refusal.code, refusal.message, requestId: requestId)
            }
            if !connection.sendRaw(bytes) { undelivered() }
        }
        if !queued { undelivered() }
    }
}
