import Wire

/// What each signer may do (spec/PROTOCOL.md, section 12), written out request by request.
/// Requests name colony A, its runtimes and its processes; "other colony" is colony B.
enum RuleTable {
    struct Operation {
        let name: String
        /// The request, with a fresh target when the request changes what it names.
        let request: (RulesWorld, Signer) throws -> Request
        /// The refusal for each signer; nil: allowed.
        let expected: (Signer) -> ErrorCode?
    }

    struct SpecialCase {
        let name: String
        let signer: Signer
        let request: (RulesWorld) throws -> Request
        let expected: ErrorCode?
    }

    static var operations: [Operation] {
        colonyOperations + runtimeOperations + processOperations
            + attributeAndSubscriptionOperations
    }

    // MARK: Who may

    /// Colonies: the server owner only.
    static func serverOwner(_ s: Signer) -> ErrorCode? {
        switch s {
        case .serverOwner: nil
        case .unknownKey: .unknownIdentity
        default: .notServerOwner
        }
    }

    /// getColony: the server owner, and a colony's owner for its own colony.
    static func serverOrColonyOwner(_ s: Signer) -> ErrorCode? {
        s == .colonyOwner ? nil : serverOwner(s)
    }

    /// Runtimes: the colony's owner. Another colony's owner naming a runtime of A finds
    /// none; naming colony A itself it is refused as not its owner.
    static func colonyOwner(otherOwnerGets code: ErrorCode) -> (Signer) -> ErrorCode? {
        { s in
            switch s {
            case .colonyOwner: nil
            case .unknownKey: .unknownIdentity
            case .otherColonyOwner: code
            default: .notColonyOwner
            }
        }
    }

    /// Processes: an approved runtime of the colony; another colony's runtime finds nothing.
    static func member(_ s: Signer) -> ErrorCode? {
        switch s {
        case .approvedRuntime, .assignedRuntime: nil
        case .otherColonyRuntime: .notFound
        case .unknownKey: .unknownIdentity
        default: .runtimeNotApproved
        }
    }

    /// Statistics: a member, or the colony's owner.
    static func memberOrOwner(_ s: Signer) -> ErrorCode? {
        s == .colonyOwner ? nil : member(s)
    }

    /// Closing and attributes: the runtime the process is assigned to.
    static func assignedRuntime(_ s: Signer) -> ErrorCode? {
        switch s {
        case .assignedRuntime: nil
        case .approvedRuntime: .notAssignedRuntime
        default: member(s)
        }
    }

    // MARK: The requests

    static var colonyOperations: [Operation] {
        [
            Operation(name: "addColony", request: { _, _ in
                .addColony(Colony(id: PrivateKey.generate().id, name: "added"))
            }, expected: serverOwner),
            Operation(name: "listColonies", request: { _, _ in .listColonies },
                      expected: serverOwner),
            Operation(name: "getColony", request: { w, _ in .getColony(colonyId: w.colonyA.id) },
                      expected: serverOrColonyOwner),
            // Only a successful row removes something: a spare colony; the others try colony A.
            Operation(name: "removeColony", request: { w, s in
                .removeColony(colonyId: s == .serverOwner ? try w.newColony() : w.colonyA.id)
            }, expected: serverOwner),
        ]
    }

    static var runtimeOperations: [Operation] {
        [
            Operation(name: "addRuntime", request: { w, _ in
                .addRuntime(w.runtimeToAdd(colony: w.colonyA.id))
            }, expected: colonyOwner(otherOwnerGets: .notColonyOwner)),
            Operation(name: "listRuntimes", request: { w, _ in
                .listRuntimes(colonyId: w.colonyA.id)
            }, expected: colonyOwner(otherOwnerGets: .notColonyOwner)),
            Operation(name: "getRuntime", request: { w, _ in .getRuntime(runtimeId: w.pending.id) },
                      expected: colonyOwner(otherOwnerGets: .notFound)),
            Operation(name: "approveRuntime", request: { w, _ in
                .approveRuntime(runtimeId: try w.newRuntime())
            }, expected: colonyOwner(otherOwnerGets: .notFound)),
            Operation(name: "rejectRuntime", request: { w, _ in
                .rejectRuntime(runtimeId: try w.newRuntime())
            }, expected: colonyOwner(otherOwnerGets: .notFound)),
            Operation(name: "removeRuntime", request: { w, _ in
                .removeRuntime(runtimeId: try w.newRuntime())
            }, expected: colonyOwner(otherOwnerGets: .notFound)),
        ]
    }

    static var processOperations: [Operation] {
        [
            Operation(name: "submitProcess", request: { w, _ in .submitProcess(w.parkedSpec()) },
                      expected: member),
            Operation(name: "getProcess", request: { w, _ in
                .getProcess(processId: w.waitingProcess.id)
            }, expected: member),
            Operation(name: "listProcesses", request: { w, _ in
                .listProcesses(colonyId: w.colonyA.id, state: .waiting, count: 10)
            }, expected: member),
            Operation(name: "assignProcess", request: { w, _ in
                .assignProcess(colonyId: w.colonyA.id, waitSeconds: 0)
            }, expected: member),
            Operation(name: "closeSuccessful", request: { w, _ in
                let p = try w.runningProcess()
                return .closeSuccessful(processId: p.id, attempt: p.attempt)
            }, expected: assignedRuntime),
            Operation(name: "closeFailed", request: { w, _ in
                let p = try w.runningProcess()
                return .closeFailed(processId: p.id, attempt: p.attempt)
            }, expected: assignedRuntime),
            Operation(name: "removeProcess", request: { w, _ in
                .removeProcess(processId: try w.parkedProcess().id)
            }, expected: member),
            Operation(name: "colonyStatistics", request: { w, _ in
                .colonyStatistics(colonyId: w.colonyA.id)
            }, expected: memberOrOwner),
        ]
    }

    static var attributeAndSubscriptionOperations: [Operation] {
        [
            Operation(name: "addAttribute", request: { w, _ in
                let p = try w.runningProcess()
                return .addAttribute(
                    NewAttribute(processId: p.id, attempt: p.attempt, type: .output, key: "k",
                                 value: "v"))
            }, expected: assignedRuntime),
            Operation(name: "getAttribute", request: { w, _ in
                .getAttribute(attributeId: w.attribute.id)
            }, expected: member),
            Operation(name: "subscribeProcess", request: { w, _ in
                .subscribeProcess(processId: w.waitingProcess.id)
            }, expected: member),
            Operation(name: "subscribeColony", request: { w, _ in
                .subscribeColony(colonyId: w.colonyA.id, state: .successful)
            }, expected: member),
        ]
    }

    // MARK: Beyond who signs

    static var specialCases: [SpecialCase] {
        [
            SpecialCase(name: "getColony of no colony", signer: .serverOwner,
                        request: { _ in .getColony(colonyId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "removeColony of no colony", signer: .serverOwner,
                        request: { _ in .removeColony(colonyId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "addColony that exists", signer: .serverOwner,
                        request: { w in .addColony(Colony(id: w.colonyA.id, name: "again")) },
                        expected: .alreadyExists),
            SpecialCase(name: "getColony of the signer's own id", signer: .unknownKey,
                        request: { w in .getColony(colonyId: w.unknown.id) },
                        expected: .unknownIdentity),
            SpecialCase(name: "colonyStatistics of own id", signer: .unknownKey,
                        request: { w in .colonyStatistics(colonyId: w.unknown.id) },
                        expected: .unknownIdentity),
            SpecialCase(name: "addRuntime that exists", signer: .colonyOwner, request: { w in
                var runtime = w.runtimeToAdd(colony: w.colonyA.id)
                runtime.id = w.pending.id
                return .addRuntime(runtime)
            }, expected: .alreadyExists),
            SpecialCase(name: "addRuntime to the other colony", signer: .colonyOwner,
                        request: { w in .addRuntime(w.runtimeToAdd(colony: w.colonyB.id)) },
                        expected: .notColonyOwner),
            SpecialCase(name: "getRuntime of no runtime", signer: .colonyOwner,
                        request: { _ in .getRuntime(runtimeId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "approveRuntime of the other colony", signer: .colonyOwner,
                        request: { w in .approveRuntime(runtimeId: w.otherRuntime.id) },
                        expected: .notFound),
            SpecialCase(name: "removeRuntime of the other colony", signer: .colonyOwner,
                        request: { w in .removeRuntime(runtimeId: w.otherRuntime.id) },
                        expected: .notFound),
            SpecialCase(name: "submitProcess to the other colony", signer: .approvedRuntime,
                        request: { w in .submitProcess(echoSpec(colony: w.colonyB.id)) },
                        expected: .notFound),
            SpecialCase(name: "getProcess of no process", signer: .approvedRuntime,
                        request: { _ in .getProcess(processId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "removeProcess of no process", signer: .approvedRuntime,
                        request: { _ in .removeProcess(processId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "removeProcess of A's, by B's runtime", signer: .otherColonyRuntime,
                        request: { w in .removeProcess(processId: w.waitingProcess.id) },
                        expected: .notFound),
            SpecialCase(name: "closeSuccessful of no process", signer: .assignedRuntime,
                        request: { _ in
                            .closeSuccessful(processId: PrivateKey.generate().id, attempt: 1)
                        }, expected: .notFound),
            SpecialCase(name: "closeSuccessful, a later attempt", signer: .assignedRuntime,
                        request: { w in
                            .closeSuccessful(processId: try w.runningProcess().id, attempt: 2)
                        }, expected: .staleAttempt),
            SpecialCase(name: "closeFailed, an earlier attempt", signer: .assignedRuntime,
                        request: { w in
                            .closeFailed(processId: try w.runningProcess().id, attempt: 0)
                        }, expected: .staleAttempt),
            SpecialCase(name: "closeSuccessful of a finished one", signer: .assignedRuntime,
                        request: { w in
                            .closeSuccessful(processId: try w.finishedProcess().id, attempt: 1)
                        }, expected: .wrongState),
            SpecialCase(name: "closeFailed of a waiting one", signer: .assignedRuntime,
                        request: { w in
                            .closeFailed(processId: w.waitingProcess.id, attempt: 0)
                        }, expected: .wrongState),
            SpecialCase(name: "closeSuccessful of a finished one", signer: .otherColonyRuntime,
                        request: { w in
                            .closeSuccessful(processId: try w.finishedProcess().id, attempt: 1)
                        }, expected: .notFound),
            SpecialCase(name: "addAttribute, a later attempt", signer: .assignedRuntime,
                        request: { w in
                            .addAttribute(
                                NewAttribute(processId: try w.runningProcess().id, attempt: 2,
                                             type: .output, key: "k", value: "v"))
                        }, expected: .staleAttempt),
            SpecialCase(name: "addAttribute to a finished one", signer: .assignedRuntime,
                        request: { w in
                            .addAttribute(
                                NewAttribute(processId: try w.finishedProcess().id, attempt: 1,
                                             type: .output, key: "k", value: "v"))
                        }, expected: .wrongState),
            SpecialCase(name: "addAttribute to no process", signer: .assignedRuntime,
                        request: { _ in
                            .addAttribute(
                                NewAttribute(processId: PrivateKey.generate().id, attempt: 1,
                                             type: .output, key: "k", value: "v"))
                        }, expected: .notFound),
            SpecialCase(name: "getAttribute of no attribute", signer: .approvedRuntime,
                        request: { _ in .getAttribute(attributeId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "subscribeProcess of no process", signer: .approvedRuntime,
                        request: { _ in .subscribeProcess(processId: PrivateKey.generate().id) },
                        expected: .notFound),
            SpecialCase(name: "subscribeColony of the other colony", signer: .approvedRuntime,
                        request: { w in .subscribeColony(colonyId: w.colonyB.id, state: .failed) },
                        expected: .notFound),
            SpecialCase(name: "listProcesses of the other colony", signer: .approvedRuntime,
                        request: { w in
                            .listProcesses(colonyId: w.colonyB.id, state: .waiting, count: 1)
                        }, expected: .notFound),
            SpecialCase(name: "assignProcess in the other colony", signer: .approvedRuntime,
                        request: { w in .assignProcess(colonyId: w.colonyB.id, waitSeconds: 0) },
                        expected: .notFound),
        ]
    }
}
