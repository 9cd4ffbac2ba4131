import Wire

/// The queries of the store over one transaction, read-only or write: the public reads of
/// `ColonyStore` and the checks of `Records` run the same code.
///
/// A record is copied out of the memory map once (`MappedBytes.copiedBytes()`) and decoded
/// from that array; its texts and lists are slices sharing the copy, so nothing here holds a
/// view past its transaction, and a write in between cannot invalidate a decoded record.
struct RecordLookup {
    let txn: ReadTransaction
    let db: StoreDatabases

    func colony(_ id: ID) throws(StoreError) -> Colony? {
        try record(.colonies, id)
    }

    func runtime(_ id: ID) throws(StoreError) -> Runtime? {
        try record(.runtimes, id)
    }

    func process(_ id: ID) throws(StoreError) -> Process? {
        try record(.processes, id)
    }

    func attribute(_ id: ID) throws(StoreError) -> Attribute? {
        try record(.attributes, id)
    }

    /// The record of kind `kind` under `id`, decoded; `.corrupt` when it does not decode.
    func record<T: WireCodable>(_ kind: RecordName, _ id: ID) throws(StoreError) -> T? {
        guard let stored = try txn.get(id.bytes, in: db[record: kind]) else { return nil }
        return try Self.decode(stored.copiedBytes(), kind, id)
    }

    static func decode<T: WireCodable>(
        _ bytes: [UInt8], _ kind: RecordName, _ id: ID
    ) throws(StoreError) -> T {
        do {
            return try T.decode(exactly: bytes)
        } catch {
            throw .corrupt("\(kind.rawValue) record \(id.hex) does not decode: \(error)")
        }
    }

    /// The ids at the end of the keys of `index` that start with `prefix`, in key order or
    /// its reverse, at most `limit` of them.
    func ids(
        in index: IndexName, prefix: [UInt8], direction: ScanDirection = .forward,
        limit: Int = .max
    ) throws(StoreError) -> [ID] {
        var ids: [ID] = []
        guard limit > 0 else { return ids }
        try txn.scan(db[index: index], prefix: prefix, direction: direction) {
            key, _ throws(StoreError) in
            guard let id = IndexKey.trailingID(key) else {
                throw .corrupt("\(index.rawValue) key of \(key.count) bytes")
            }
            ids.append(id)
            return ids.count < limit
        }
        return ids
    }

    /// The processes whose ids end the keys of `index` under `prefix`.
    func processes(
        in index: IndexName, prefix: [UInt8], direction: ScanDirection = .forward,
        limit: Int = .max
    ) throws(StoreError) -> [Process] {
        var found: [Process] = []
        for id in try ids(in: index, prefix: prefix, direction: direction, limit: limit) {
            guard let p = try process(id) else {
                throw .corrupt("\(index.rawValue) entry names missing process \(id.hex)")
            }
            found.append(p)
        }
        return found
    }

    /// How many processes of `colony` are in `state`, from the counts index.
    func count(_ colony: ID, _ state: ProcessState) throws(StoreError) -> UInt64 {
        guard let stored = try txn.get(IndexKey.count(colony, state), in: db.counts) else {
            return 0
        }
        guard let n = CountValue.decode(stored) else {
            throw .corrupt("count of \(colony.hex) \(state.name) has \(stored.count) bytes")
        }
        return n
    }

    /// The time of the first (oldest) `byState` entry of `colony` in `state`, 0 when none.
    func oldestEntered(_ colony: ID, _ state: ProcessState) throws(StoreError) -> Int64 {
        var oldest: Int64 = 0
        try txn.scan(db[index: .byState], prefix: IndexKey.prefix(colony, state)) {
            key, _ throws(StoreError) in
            guard let t = IndexKey.time(in: key, at: ByStateLayout.timeOffset) else {
                throw .corrupt("byState key of \(key.count) bytes")
            }
            oldest = t
            return false
        }
        return oldest
    }

    /// The time of the newest `byState` entry of `colony` in `state`, nil when none.
    func newestEntered(_ colony: ID, _ state: ProcessState) throws(StoreError) -> Int64? {
        var newest: Int64?
        try txn.scan(
            db[index: .byState], prefix: IndexKey.prefix(colony, state), direction: .backward
        ) { key, _ throws(StoreError) in
            newest = IndexKey.time(in: key, at: ByStateLayout.timeOffset)
            return false
        }
        return newest
    }

    /// The first time in a deadline index, nil when it is empty.
    func firstDeadline(_ index: IndexName) throws(StoreError) -> Int64? {
        var first: Int64?
        try txn.scan(db[index: index], prefix: []) { key, _ throws(StoreError) in
            first = IndexKey.time(in: key, at: 0)
            return false
        }
        return first
    }
}
