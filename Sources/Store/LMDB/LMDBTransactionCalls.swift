import CLMDB

/// Thin wrappers over liblmdb's transaction, data and cursor calls. Buffers returned here
/// point into the memory map: they stay valid until the transaction ends or, in a write
/// transaction, until its next update.
extension LMDB {
    /// A cursor movement, kept apart from the C enum so only this file sees it.
    enum CursorMove {
        case first, last, next, previous, atLeast, exactly

        var operation: MDB_cursor_op {
            switch self {
            case .first: MDB_FIRST
            case .last: MDB_LAST
            case .next: MDB_NEXT
            case .previous: MDB_PREV
            case .atLeast: MDB_SET_RANGE
            case .exactly: MDB_SET_KEY
            }
        }
    }

    static func begin(
        _ env: OpaquePointer, parent: OpaquePointer?, readOnly: Bool
    ) throws(StoreError) -> OpaquePointer {
        var txn: OpaquePointer?
        let flags = readOnly ? UInt32(MDB_RDONLY) : 0
        try check(mdb_txn_begin(env, parent, flags, &txn), "mdb_txn_begin")
        guard let txn else { throw .lmdb(code: MDB_BAD_TXN, call: "mdb_txn_begin") }
        return txn
    }

    /// Commits and frees `txn`. LMDB frees the handle even when the commit fails.
    static func commit(_ txn: OpaquePointer, path: String) throws(StoreError) {
        try check(mdb_txn_commit(txn), "mdb_txn_commit", path: path)
    }

    static func abort(_ txn: OpaquePointer) {
        mdb_txn_abort(txn)
    }

    static func get(
        _ txn: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer
    ) throws(StoreError) -> UnsafeRawBufferPointer? {
        var keyVal = value(key)
        var data = MDB_val()
        let code = mdb_get(txn, dbi, &keyVal, &data)
        if code == MDB_NOTFOUND { return nil }

        try check(code, "mdb_get")
        return buffer(data)
    }

    /// Stores the pair; returns false, writing nothing, when `overwrite` is false and the key
    /// exists.
    static func put(
        _ txn: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer,
        value bytes: UnsafeRawBufferPointer, overwrite: Bool
    ) throws(StoreError) -> Bool {
        var keyVal = value(key)
        var data = value(bytes)
        let flags = overwrite ? 0 : UInt32(MDB_NOOVERWRITE)
        let code = mdb_put(txn, dbi, &keyVal, &data, flags)
        if code == MDB_KEYEXIST { return false }

        try check(code, "mdb_put")
        return true
    }

    /// Reserves `count` bytes for the key's value and returns them for the caller to fill
    /// before the next update in the transaction.
    static func reserve(
        _ txn: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer, count: Int
    ) throws(StoreError) -> UnsafeMutableRawBufferPointer {
        var keyVal = value(key)
        var data = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(txn, dbi, &keyVal, &data, UInt32(MDB_RESERVE)), "mdb_put(reserve)")
        return UnsafeMutableRawBufferPointer(start: data.mv_data, count: data.mv_size)
    }

    /// Deletes the key; returns false when it was absent.
    static func delete(
        _ txn: OpaquePointer, _ dbi: UInt32, key: UnsafeRawBufferPointer
    ) throws(StoreError) -> Bool {
        var keyVal = value(key)
        let code = mdb_del(txn, dbi, &keyVal, nil)
        if code == MDB_NOTFOUND { return false }

        try check(code, "mdb_del")
        return true
    }

    static func openCursor(
        _ txn: OpaquePointer, _ dbi: UInt32
    ) throws(StoreError) -> OpaquePointer {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
        guard let cursor else { throw .lmdb(code: MDB_BAD_TXN, call: "mdb_cursor_open") }
        return cursor
    }

    /// Closes a cursor; must happen before its write transaction ends.
    static func closeCursor(_ cursor: OpaquePointer) {
        mdb_cursor_close(cursor)
    }

    /// Moves the cursor and returns the pair under it, or nil when there is none.
    /// `key` is used only by `.atLeast` and `.exactly`.
    static func move(
        _ cursor: OpaquePointer, _ move: CursorMove, key: UnsafeRawBufferPointer? = nil
    ) throws(StoreError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        var keyVal = key.map(value) ?? MDB_val()
        var data = MDB_val()
        let code = mdb_cursor_get(cursor, &keyVal, &data, move.operation)
        if code == MDB_NOTFOUND { return nil }

        try check(code, "mdb_cursor_get")
        return (buffer(keyVal), buffer(data))
    }

    /// LMDB takes non-const pointers but never writes through the key or data of these calls.
    private static func value(_ bytes: UnsafeRawBufferPointer) -> MDB_val {
        MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    }

    private static func buffer(_ val: MDB_val) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: val.mv_data, count: val.mv_size)
    }
}
