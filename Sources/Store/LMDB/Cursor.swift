/// A position in one database of a transaction, for range scans in key order (keys compare
/// as unsigned bytes, shorter first on a tie). Obtained from `withCursor(on:_:)` and valid
/// only inside that closure. Each move returns the pair it lands on, or nil when there is
/// none; the entries' views follow the rules of `MappedBytes`.
public final class Cursor {
    /// A pair under the cursor, as views into the memory map.
    public struct Entry {
        public let key: MappedBytes
        public let value: MappedBytes
    }

    private let handle: OpaquePointer
    private let transaction: ReadTransaction
    private var isOpen = true

    init(_ handle: OpaquePointer, transaction: ReadTransaction) {
        self.handle = handle
        self.transaction = transaction
    }

    /// Closes before the transaction ends, as LMDB requires for write transactions.
    func close() {
        isOpen = false
        LMDB.closeCursor(handle)
    }

    public func first() throws(StoreError) -> Entry? {
        try move(.first)
    }

    public func last() throws(StoreError) -> Entry? {
        try move(.last)
    }

    /// The pair after the current one; the first pair on a fresh cursor.
    public func next() throws(StoreError) -> Entry? {
        try move(.next)
    }

    /// The pair before the current one; the last pair on a fresh cursor.
    public func previous() throws(StoreError) -> Entry? {
        try move(.previous)
    }

    /// The first pair whose key is greater than or equal to `key`.
    public func seek(atLeast key: [UInt8]) throws(StoreError) -> Entry? {
        try move(.atLeast, key: key)
    }

    /// The pair whose key equals `key`.
    public func seek(exactly key: [UInt8]) throws(StoreError) -> Entry? {
        try move(.exactly, key: key)
    }

    /// Visits the pairs whose key starts with `prefix` until `visit` returns false.
    func scan(
        prefix: [UInt8], direction: ScanDirection,
        _ visit: (MappedBytes, MappedBytes) throws(StoreError) -> Bool
    ) throws(StoreError) {
        var entry = direction == .forward
            ? try firstWithPrefix(prefix) : try lastWithPrefix(prefix)

        while let current = entry, current.key.hasPrefix(prefix) {
            guard try visit(current.key, current.value) else { return }

            entry = direction == .forward ? try next() : try previous()
        }
    }

    private func firstWithPrefix(_ prefix: [UInt8]) throws(StoreError) -> Entry? {
        prefix.isEmpty ? try first() : try seek(atLeast: prefix)
    }

    /// Seeks past the prefix range, then steps back into it.
    private func lastWithPrefix(_ prefix: [UInt8]) throws(StoreError) -> Entry? {
        guard let after = Self.successor(of: prefix) else { return try last() }

        return try seek(atLeast: after) == nil ? try last() : try previous()
    }

    /// The smallest key greater than every key starting with `prefix`, or nil when none
    /// exists (an empty prefix, or one of only 0xFF bytes).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        guard let index = prefix.lastIndex(where: { $0 != 0xFF }) else { return nil }

        var result = Array(prefix[...index])
        result[index] += 1
        return result
    }

    private func move(_ move: LMDB.CursorMove, key: [UInt8]? = nil) throws(StoreError) -> Entry? {
        precondition(isOpen, "cursor used outside the closure that received it")
        let found = try transaction.perform { () throws(StoreError) in
            guard let key else { return try LMDB.move(handle, move) }

            return try transaction.withKey(key) { bytes throws(StoreError) in
                try LMDB.move(handle, move, key: bytes)
            }
        }
        return found.map { Entry(key: MappedBytes($0.key), value: MappedBytes($0.value)) }
    }
}

@available(*, unavailable, message: "a cursor belongs to the thread running its closure")
extension Cursor: Sendable {}
