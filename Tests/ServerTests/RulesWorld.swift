import Client
import Wire
import XCTest

/// Who signs a request in `RulesTests`.
enum Signer: String, CaseIterable {
    case serverOwner = "server owner"
    case colonyOwner = "colony owner"
    case approvedRuntime = "approved runtime"
    /// An approved runtime of the colony that holds the process the request names.
    case assignedRuntime = "assigned runtime"
    case pendingRuntime = "pending runtime"
    case rejectedRuntime = "rejected runtime"
    case otherColonyOwner = "other colony's owner"
    case otherColonyRuntime = "other colony's runtime"
    case unknownKey = "unknown key"
}

/// A server with two colonies and a runtime in every standing, for trying each request
/// under each signer. Colony A is the one requests name; colony B is the other one.
final class RulesWorld {
    let server: TestServer
    let colonyA: PrivateKey
    let colonyB: PrivateKey
    let approved: PrivateKey
    let assigned: PrivateKey
    let pending: PrivateKey
    let rejected: PrivateKey
    let otherRuntime: PrivateKey
    let unknown = PrivateKey.generate()
    /// A runtime id no runtime has: processes restricted to it wait forever, so no assign
    /// made by a row takes them.
    let nobody = PrivateKey.generate().id
    /// A waiting process of A that no runtime can take.
    let waitingProcess: Wire.Process
    /// An attribute of a process of A.
    let attribute: Attribute
    private let admin: ColoniesClient

    init() throws {
        server = try TestServer()
        colonyA = try server.makeColony(name: "colony-a")
        colonyB = try server.makeColony(name: "colony-b")
        approved = try server.makeRuntime(colony: colonyA)
        assigned = try server.makeRuntime(colony: colonyA)
        pending = try server.makeRuntime(colony: colonyA, approve: false)
        rejected = try server.makeRuntime(colony: colonyA, approve: false)
        otherRuntime = try server.makeRuntime(colony: colonyB)
        admin = try server.client()
        _ = try admin.rejectRuntime(rejected.id, colonyKey: colonyA)

        let parked = echoSpec(colony: colonyA.id, runtimes: [nobody])
        waitingProcess = try admin.submit(parked, runtimeKey: approved)
        let running = try Self.running(admin, colony: colonyA.id, runtime: assigned)
        attribute = try admin.addAttribute(
            NewAttribute(
                processId: running.id, attempt: running.attempt, type: .output, key: "result",
                value: "42"),
            runtimeKey: assigned)
    }

    func key(_ signer: Signer) -> PrivateKey {
        switch signer {
        case .serverOwner: server.ownerKey
        case .colonyOwner: colonyA
        case .approvedRuntime: approved
        case .assignedRuntime: assigned
        case .pendingRuntime: pending
        case .rejectedRuntime: rejected
        case .otherColonyOwner: colonyB
        case .otherColonyRuntime: otherRuntime
        case .unknownKey: unknown
        }
    }

    /// A spec of colony A that only the runtime `nobody` could take.
    func parkedSpec(priority: Int32 = 0) -> ProcessSpec {
        echoSpec(colony: colonyA.id, priority: priority, runtimes: [nobody])
    }

    /// A new process of A, running on the assigned runtime under attempt 1.
    func runningProcess() throws -> Wire.Process {
        try Self.running(admin, colony: colonyA.id, runtime: assigned)
    }

    /// A new process of A that has ended successfully.
    func finishedProcess() throws -> Wire.Process {
        let p = try runningProcess()
        try admin.closeSuccessful(p.id, attempt: p.attempt, runtimeKey: assigned)
        return p
    }

    /// A new waiting process of A that no runtime can take.
    func parkedProcess() throws -> Wire.Process {
        try admin.submit(parkedSpec(), runtimeKey: approved)
    }

    /// A new runtime of A, pending.
    func newRuntime() throws -> ID {
        try server.makeRuntime(colony: colonyA, approve: false).id
    }

    /// A new colony with nothing in it.
    func newColony() throws -> ID {
        try server.makeColony(name: "spare").id
    }

    /// A runtime description for a new key in `colony`.
    func runtimeToAdd(colony: ID) -> Runtime {
        Runtime(id: PrivateKey.generate().id, colonyId: colony, name: "new", type: "worker")
    }

    private static func running(
        _ admin: ColoniesClient, colony: ID, runtime: PrivateKey
    ) throws -> Wire.Process {
        // Top priority and restricted to the runtime, so its assign takes this one.
        let spec = echoSpec(colony: colony, priority: 1000, runtimes: [runtime.id])
        let submitted = try admin.submit(spec, runtimeKey: runtime)
        let taken = try XCTUnwrap(try admin.assign(colony: colony, runtimeKey: runtime))
        guard taken.id == submitted.id else {
            throw SetupFailure("the assigned runtime was given another process")
        }
        return taken
    }
}
