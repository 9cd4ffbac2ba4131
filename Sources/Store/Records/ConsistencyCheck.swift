import Wire

extension ColonyStore {
    /// Reads the whole store in one read transaction and reports every inconsistency:
    /// - every record decodes and is stored under its own id, and the colony (or process)
    ///   it belongs to exists;
    /// - every record has exactly the index entries derived from it (`ProcessEntries`,
    ///   `RecordEntries`), holding the values derived from it;
    /// - every index entry names a record that derives it;
    /// - the counts equal a recount of the process records.
    ///
    /// Memory stays bounded by the number of colonies and counts: index entries are checked
    /// by looking up the record they name, not by holding every derived key. On a large
    /// store the read transaction is long, and holds old pages from reuse meanwhile.
    public func check() throws(StoreError) -> CheckReport {
        try lookup { l throws(StoreError) in
            var checker = ConsistencyChecker(lookup: l)
            try checker.run()
            return checker.report
        }
    }
}

/// The walk behind `ColonyStore.check()`: each record kind, then each index, then counts.
struct ConsistencyChecker {
    let lookup: RecordLookup
    private(set) var report = CheckReport()
    private var colonies: Set<ID> = []
    private var recount: [[UInt8]: UInt64] = [:]

    init(lookup: RecordLookup) {
        self.lookup = lookup
    }

    private var txn: ReadTransaction { lookup.txn }
    private var db: StoreDatabases { lookup.db }

    mutating func run() throws(StoreError) {
        try checkRecords(.colonies) { (this, c: Colony) throws(StoreError) in
            this.colonies.insert(c.id)
        }
        try checkRecords(.runtimes) { (this, r: Runtime) throws(StoreError) in
            this.expectColony(r.colonyId, of: "runtime \(r.id.hex)")
            try this.expect(RecordEntries.of(r), of: "runtime \(r.id.hex)")
        }
        try checkRecords(.processes) { (this, p: Process) throws(StoreError) in
            try this.checkProcess(p)
        }
        try checkRecords(.attributes) { (this, a: Attribute) throws(StoreError) in
            if try this.txn.get(a.processId.bytes, in: this.db.processes) == nil {
                this.report.report("attribute \(a.id.hex) names missing process")
            }
            try this.expect(RecordEntries.of(a), of: "attribute \(a.id.hex)")
        }

        for index in IndexName.allCases {
            try checkIndex(index)
        }
        try checkCounts()
    }

    /// Visits every record of `kind` that decodes and is stored under its own id, and
    /// reports the others.
    private mutating func checkRecords<T: WireCodable & Identified>(
        _ kind: RecordName, _ visit: (inout Self, T) throws(StoreError) -> Void
    ) throws(StoreError) {
        try txn.scan(db[record: kind], prefix: []) { key, value throws(StoreError) in
            report.recordsScanned += 1
            guard let id = ID(bytes: key) else {
                report.report("\(kind.rawValue) key of \(key.count) bytes")
                return true
            }
            let record: T
            do {
                record = try T.decode(exactly: value.copiedBytes())
            } catch {
                report.report("\(kind.rawValue) record \(id.hex) does not decode: \(error)")
                return true
            }
            guard record.id == id else {
                report.report("\(kind.rawValue) record under \(id.hex) has id \(record.id.hex)")
                return true
            }
            try visit(&self, record)
            return true
        }
    }

    private mutating func checkProcess(_ p: Process) throws(StoreError) {
        let what = "process \(p.id.hex)"
        expectColony(p.colonyId, of: what)
        if (p.state == .running) != (p.assignedRuntime != nil) && !p.state.isFinal {
            report.report("\(what) is \(p.state.name) but assigned is \(p.assignedRuntime != nil)")
        }

        let derived = ProcessEntries(p)
        for entry in derived.entries {
            try expect(entry, of: what)
        }
        recount[derived.countKey, default: 0] += 1
    }

    private mutating func expectColony(_ colony: ID, of what: String) {
        if !colonies.contains(colony) {
            report.report("\(what) belongs to missing colony \(colony.hex)")
        }
    }

    /// Reports a derived entry that is not stored, or is stored with another value.
    private mutating func expect(_ entry: IndexEntry, of what: String) throws(StoreError) {
        guard let stored = try txn.get(entry.key, in: db[index: entry.index]) else {
            report.report("\(what) lacks its \(entry.index.rawValue) entry")
            return
        }
        if !stored.equals(entry.value) {
            report.report("\(what) has a \(entry.index.rawValue) entry with another value")
        }
    }

    /// Reports entries of `index` that name no record, or one that does not derive them.
    private mutating func checkIndex(_ index: IndexName) throws(StoreError) {
        try txn.scan(db[index: index], prefix: []) { key, value throws(StoreError) in
            report.indexEntriesScanned += 1
            let entry = IndexEntry(index: index, key: key.copiedBytes(), value: value.copiedBytes())
            guard let id = IndexKey.trailingID(entry.key) else {
                report.report("\(index.rawValue) key of \(key.count) bytes")
                return true
            }

            guard let derived = try derivedEntries(index, of: id) else {
                report.report("\(index.rawValue) entry names missing record \(id.hex)")
                return true
            }
            if !derived.contains(entry) {
                report.report("\(index.rawValue) entry for \(id.hex) disagrees with its record")
            }
            return true
        }
    }

    /// The entries the record named by an entry of `index` derives: nil when it is absent,
    /// none when it does not decode (already reported with the records).
    private func derivedEntries(
        _ index: IndexName, of id: ID
    ) throws(StoreError) -> [IndexEntry]? {
        do {
            switch index {
            case .runtimesByColony:
                return try lookup.runtime(id).map { [RecordEntries.of($0)] }
            case .attributesByProcess:
                return try lookup.attribute(id).map { [RecordEntries.of($0)] }
            case .queue, .byState, .runningByDeadline, .waitingByDeadline, .byRuntime:
                return try lookup.process(id).map { ProcessEntries($0).entries }
            }
        } catch {
            if case .corrupt = error { return [] }
            throw error
        }
    }

    /// Compares the stored counts with the recount of the process records.
    private mutating func checkCounts() throws(StoreError) {
        var expected = recount
        try txn.scan(db.counts, prefix: []) { key, value throws(StoreError) in
            report.indexEntriesScanned += 1
            let k = key.copiedBytes()
            let want = expected.removeValue(forKey: k) ?? 0
            guard let stored = CountValue.decode(value) else {
                report.report("count \(Self.describeCount(k)) has \(value.count) bytes")
                return true
            }
            if stored != want {
                report.report("count \(Self.describeCount(k)) is \(stored), recount \(want)")
            }
            return true
        }
        for (key, want) in expected {
            report.report("count \(Self.describeCount(key)) is missing, recount \(want)")
        }
    }

    private static func describeCount(_ key: [UInt8]) -> String {
        guard key.count == 33, let colony = ID(bytes: key.prefix(32)) else {
            return "key of \(key.count) bytes"
        }
        let state = ProcessState(rawValue: key[32])?.name ?? "state \(key[32])"
        return "of colony \(colony.hex) \(state)"
    }
}

/// A record stored under its own id.
protocol Identified {
    var id: ID { get }
}

extension Colony: Identified {}
extension Runtime: Identified {}
extension Process: Identified {}
extension Attribute: Identified {}
