/// The record kinds. Each is one LMDB database keyed by the 32-byte id, whose values are the
/// canonical wire encoding of the model, so a reply can be built from the stored bytes.
enum RecordName: String, CaseIterable, Sendable {
    case colonies
    case runtimes
    case processes
    case attributes
}

/// The handles of every database of a colony store.
struct StoreDatabases: Sendable {
    let colonies: Database
    let runtimes: Database
    let processes: Database
    let attributes: Database
    /// `colony id · state` -> u64: how many processes of the colony are in the state.
    let counts: Database
    private let runtimesByColony, queue, byState: Database
    private let runningByDeadline, waitingByDeadline, byRuntime, attributesByProcess: Database

    static let countsName = "counts"

    /// Every database name, in the order they are opened.
    static var names: [String] {
        RecordName.allCases.map(\.rawValue) + IndexName.allCases.map(\.rawValue) + [countsName]
    }

    init(_ environment: LMDBEnvironment) throws(StoreError) {
        func open(_ name: String) throws(StoreError) -> Database {
            guard let db = environment.database(name) else {
                throw .invalidConfiguration("database \(name) was not opened")
            }
            return db
        }
        colonies = try open(RecordName.colonies.rawValue)
        runtimes = try open(RecordName.runtimes.rawValue)
        processes = try open(RecordName.processes.rawValue)
        attributes = try open(RecordName.attributes.rawValue)
        counts = try open(Self.countsName)
        runtimesByColony = try open(IndexName.runtimesByColony.rawValue)
        queue = try open(IndexName.queue.rawValue)
        byState = try open(IndexName.byState.rawValue)
        runningByDeadline = try open(IndexName.runningByDeadline.rawValue)
        waitingByDeadline = try open(IndexName.waitingByDeadline.rawValue)
        byRuntime = try open(IndexName.byRuntime.rawValue)
        attributesByProcess = try open(IndexName.attributesByProcess.rawValue)
    }

    /// The database of `index`.
    subscript(index index: IndexName) -> Database {
        switch index {
        case .runtimesByColony: runtimesByColony
        case .queue: queue
        case .byState: byState
        case .runningByDeadline: runningByDeadline
        case .waitingByDeadline: waitingByDeadline
        case .byRuntime: byRuntime
        case .attributesByProcess: attributesByProcess
        }
    }

    /// The database of a record kind.
    subscript(record record: RecordName) -> Database {
        switch record {
        case .colonies: colonies
        case .runtimes: runtimes
        case .processes: processes
        case .attributes: attributes
        }
    }
}
