/// An open LMDB data folder: the memory map, its named databases, and the gate that keeps
/// transactions and map growth apart.
///
/// Reads go through `read { }` from any thread. Writes go through a `GroupCommitter`, which
/// owns the single writer thread. Thread-safe.
public final class LMDBEnvironment: @unchecked Sendable {
    /// The format version this build writes and the newest it can read.
    public static let formatVersion: UInt32 = 1

    /// The data folder.
    public let path: String

    public let options: EnvironmentOptions

    /// The longest key LMDB accepts, in bytes (511 for Debian's build).
    public let maxKeySize: Int

    let handle: OpaquePointer
    let gate = TransactionGate()
    let metaDatabase: Database
    private let databases: [String: Database]

    /// Every tree whose size counts against `EnvironmentOptions.dataLimit`.
    let countedHandles: [UInt32]

    // Both change only while the gate is held exclusively, so holding it shared reads them.
    private var currentMapSize: Int
    private var isClosed = false

    /// The name of the store's own database, where the format version lives.
    static let metaName = "meta"

    /// Opens the data folder at `path`, creating it (mode 0700) if missing, and the named
    /// databases in it (created if missing).
    ///
    /// Clears reader slots left by crashed processes, then checks the format version.
    /// - Throws: `.newerFormat` for a folder written by a newer build; `.readOnly`,
    ///   `.diskFull` or `.notADirectory` naming the path; `.invalidConfiguration` for bad
    ///   options or names (empty, repeated, or "meta", which the store keeps for itself).
    public init(
        path: String, databases names: [String], options: EnvironmentOptions = .init()
    ) throws(StoreError) {
        try options.validate()
        try Self.validate(names)
        try LMDB.makeDirectory(path)

        let env = try LMDB.createEnvironment()
        do {
            try LMDB.configure(
                env, mapSize: Self.roundedToPage(options.initialMapSize),
                maxDatabases: names.count + 1, maxReaders: options.maxReaders)
            try LMDB.open(env, path: path, noSync: options.durability == .unsafeNoSync)
            try LMDB.clearStaleReaders(env)
            let opened = try Self.openDatabases(env, path: path, names: names)
            metaDatabase = opened.meta
            databases = opened.named
            countedHandles = [opened.main, opened.meta.handle] + opened.named.values.map(\.handle)
            currentMapSize = try LMDB.mapSize(env)
        } catch {
            LMDB.close(env)
            throw error
        }

        self.path = path
        self.options = options
        maxKeySize = LMDB.maxKeySize(env)
        handle = env
    }

    deinit {
        if !isClosed {
            LMDB.close(handle)
        }
    }

    /// The handle of a database named at open, or nil for any other name.
    public func database(_ name: String) -> Database? {
        databases[name]
    }

    /// The current size of the memory map in bytes.
    public var mapSize: Int {
        gate.withShared { currentMapSize }
    }

    /// Runs `body` inside a read transaction that sees the latest committed state.
    ///
    /// The transaction, and every `MappedBytes` it hands out, is valid only inside `body`.
    /// Keep `body` short and never wait inside it (on a lock, the network, or a `write`):
    /// an open reader blocks map growth and holds old pages from reuse. Do not start another
    /// transaction on this environment from inside `body`; that is a precondition failure.
    public func read<T>(_ body: (ReadTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        try gate.withShared { () throws(StoreError) -> T in
            guard !isClosed else { throw .closed }

            let txn = ReadTransaction(
                try LMDB.begin(handle, parent: nil, readOnly: true), maxKeySize: maxKeySize)
            defer {
                txn.end()
                LMDB.abort(txn.handle)
            }
            return try body(txn)
        }
    }

    /// Waits for open transactions to end, then closes the environment. Later reads and
    /// writes fail with `.closed`. Close the `GroupCommitter` first so queued writes land.
    public func close() {
        gate.withExclusive {
            if !isClosed {
                isClosed = true
                LMDB.close(handle)
            }
        }
    }

    /// Runs `body` in a top-level write transaction with the gate held shared, committing if
    /// it returns. Only the group committer's thread, or `init`, may call this.
    func withWriteTransaction<T>(
        _ body: (OpaquePointer) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try gate.withShared { () throws(StoreError) -> T in
            guard !isClosed else { throw .closed }

            let txn = try LMDB.begin(handle, parent: nil, readOnly: false)
            let result: T
            do throws(StoreError) {
                result = try body(txn)
            } catch {
                LMDB.abort(txn)
                throw error
            }
            try LMDB.commit(txn, path: path)
            return result
        }
    }

    /// True while the map is below its maximum size.
    var canGrow: Bool {
        gate.withShared { currentMapSize < options.maximumMapSize }
    }

    /// Doubles the map, up to the maximum, once no transaction is open. Returns false when it
    /// is already at the maximum.
    func growMap() throws(StoreError) -> Bool {
        try gate.withExclusive { () throws(StoreError) -> Bool in
            guard !isClosed else { throw .closed }
            guard currentMapSize < options.maximumMapSize else { return false }

            let doubled = currentMapSize > Int.max / 2 ? Int.max : currentMapSize * 2
            let target = Self.roundedToPage(min(doubled, options.maximumMapSize))
            try LMDB.setMapSize(handle, max(target, currentMapSize + Self.pageSize))
            currentMapSize = try LMDB.mapSize(handle)
            return true
        }
    }

    /// The bytes of all database trees as `txn` sees them: the data that counts against
    /// `EnvironmentOptions.dataLimit`. Free pages and LMDB's free list are not counted.
    func dataSize(_ txn: OpaquePointer) throws(StoreError) -> Int {
        var total = 0
        for dbi in countedHandles {
            total += try LMDB.treeBytes(txn, dbi)
        }
        return total
    }

    /// LMDB wants map sizes in whole OS pages; 4 KiB divides every page size Linux uses.
    static let pageSize = 4096

    static func roundedToPage(_ size: Int) -> Int {
        (size + pageSize - 1) / pageSize * pageSize
    }

    private static func validate(_ names: [String]) throws(StoreError) {
        guard Set(names).count == names.count else {
            throw .invalidConfiguration("database names repeat")
        }
        if let bad = names.first(where: { $0.isEmpty || $0 == metaName }) {
            throw .invalidConfiguration("database name \"\(bad)\" is reserved or empty")
        }
    }
}
