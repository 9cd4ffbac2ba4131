import Wire

/// The secondary indexes. Each is one LMDB database whose keys are laid out in `IndexKey`.
enum IndexName: String, CaseIterable, Sendable {
    case runtimesByColony
    case queue
    case byState
    case runningByDeadline
    case waitingByDeadline
    case byRuntime
    case attributesByProcess
}

/// One key a record implies in one index, with the value stored beside it.
///
/// Values are empty except in two indexes, where they spare a record lookup:
/// `runtimesByColony` holds the runtime's state byte (approved runtimes are counted from the
/// index alone) and `queue` holds the encoded `Conditions` (assignment skips entries that do
/// not match without reading their records).
struct IndexEntry: Hashable, Sendable {
    var index: IndexName
    var key: [UInt8]
    var value: [UInt8]
}

/// Every index entry and count a process record implies. The single source of truth for
/// the process indexes: writes diff the sets of the old and new record, and the consistency
/// check compares the stored indexes against them.
struct ProcessEntries: Equatable {
    var entries: [IndexEntry]
    /// The key in `counts` this process adds one to.
    var countKey: [UInt8]

    init(_ p: Process) {
        let colony = p.colonyId
        var entries: [IndexEntry] = []
        entries.reserveCapacity(4)

        if p.state == .waiting {
            let key = IndexKey.queue(
                colony, priority: p.spec.priority, submittedAt: p.submittedAt, process: p.id)
            entries.append(IndexEntry(index: .queue, key: key, value: p.spec.conditions.encoded))
        }

        let key = IndexKey.byState(colony, p.state, at: p.timeEntered, process: p.id)
        entries.append(IndexEntry(index: .byState, key: key, value: []))

        if p.state == .running && p.deadline != 0 {
            let key = IndexKey.deadline(p.deadline, process: p.id)
            entries.append(IndexEntry(index: .runningByDeadline, key: key, value: []))
        }
        if p.state == .waiting && p.waitDeadline != 0 {
            let key = IndexKey.deadline(p.waitDeadline, process: p.id)
            entries.append(IndexEntry(index: .waitingByDeadline, key: key, value: []))
        }
        if let runtime = p.assignedRuntime {
            let key = IndexKey.pair(runtime, p.id)
            entries.append(IndexEntry(index: .byRuntime, key: key, value: []))
        }

        self.entries = entries
        countKey = IndexKey.count(colony, p.state)
    }
}

/// The index entries of the other records: one each.
enum RecordEntries {
    static func of(_ r: Runtime) -> IndexEntry {
        IndexEntry(
            index: .runtimesByColony, key: IndexKey.runtimeOfColony(r.colonyId, r.id),
            value: [r.state.rawValue])
    }

    static func of(_ a: Attribute) -> IndexEntry {
        IndexEntry(index: .attributesByProcess, key: IndexKey.pair(a.processId, a.id), value: [])
    }
}

extension Process {
    /// When the process entered its current state: the time its `byState` entry sorts by.
    var timeEntered: Int64 {
        switch state {
        case .waiting: submittedAt
        case .running: startedAt
        case .successful, .failed: endedAt
        }
    }
}

/// Where the parts of a `byState` key start.
enum ByStateLayout {
    static let timeOffset = 33
}

/// Counts are stored as 8-byte big-endian integers.
enum CountValue {
    static func encode(_ v: UInt64) -> [UInt8] {
        var k = KeyBuilder(capacity: 8)
        k.u64(v)
        return k.bytes
    }

    static func decode<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
