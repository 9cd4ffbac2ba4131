/// A transaction's view of the store at the moment it began. `LMDBEnvironment.read { }`
/// hands one to its closure; a group-commit mutation gets a `WriteTransaction`, which can
/// also read and sees its own uncommitted writes.
///
/// Valid only inside the closure that received it; using it afterwards is a precondition
/// failure. Not `Sendable`: it belongs to the thread running the closure.
public class ReadTransaction {
    let handle: OpaquePointer
    let maxKeySize: Int
    private var isOpen = true

    /// The first LMDB failure, after which LMDB refuses the transaction, and so do we.
    private(set) var failure: StoreError?

    init(_ handle: OpaquePointer, maxKeySize: Int) {
        self.handle = handle
        self.maxKeySize = maxKeySize
    }

    /// Marks the end of the closure; the owner then commits or aborts the handle.
    func end() {
        isOpen = false
    }

    /// The value stored under `key`, or nil. The view is valid as `MappedBytes` describes.
    /// - Throws: `.invalidKey` for an empty key or one longer than `maxKeySize`.
    public func get(_ key: [UInt8], in database: Database) throws(StoreError) -> MappedBytes? {
        try perform { () throws(StoreError) in
            try withKey(key) { bytes throws(StoreError) in
                try LMDB.get(handle, database.handle, key: bytes).map(MappedBytes.init)
            }
        }
    }

    /// Opens a cursor on `database` for the duration of `body`.
    public func withCursor<T>(
        on database: Database, _ body: (Cursor) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let cursor = try perform { () throws(StoreError) in
            Cursor(try LMDB.openCursor(handle, database.handle), transaction: self)
        }
        defer { cursor.close() }

        return try body(cursor)
    }

    /// Visits, in key order or its reverse, every pair whose key starts with `prefix` (all
    /// pairs for an empty prefix) until `visit` returns false.
    public func scan(
        _ database: Database, prefix: [UInt8], direction: ScanDirection = .forward,
        _ visit: (_ key: MappedBytes, _ value: MappedBytes) throws(StoreError) -> Bool
    ) throws(StoreError) {
        try withCursor(on: database) { cursor throws(StoreError) in
            try cursor.scan(prefix: prefix, direction: direction, visit)
        }
    }

    /// Runs one LMDB operation: refuses it after an earlier failure and records a new one.
    /// Argument errors found before calling LMDB leave the transaction usable.
    func perform<T>(_ operation: () throws(StoreError) -> T) throws(StoreError) -> T {
        precondition(isOpen, "transaction used outside the closure that received it")
        if failure != nil {
            throw .transactionFailed
        }

        do {
            return try operation()
        } catch {
            if case .invalidKey = error {} else { failure = error }
            throw error
        }
    }

    /// Checks the key length at the edge, where LMDB would give a vague EINVAL-like code.
    func withKey<R>(
        _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        guard !key.isEmpty && key.count <= maxKeySize else {
            throw .invalidKey(length: key.count)
        }
        return try withBytes(key, body)
    }
}

@available(*, unavailable, message: "a transaction belongs to the thread running its closure")
extension ReadTransaction: Sendable {}

/// The order of a scan.
public enum ScanDirection: Sendable {
    case forward, backward
}

/// `Array.withUnsafeBytes` with the closure's typed error preserved.
func withBytes<R>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(StoreError) -> R
) throws(StoreError) -> R {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(StoreError) -> R in try body(raw) }
    }.get()
}
