/// A transaction that can change the store: the one a group-commit mutation receives. A
/// mutation that throws undoes only itself: its batch runs again with each mutation in an
/// LMDB child transaction (`BatchRunner`).
///
/// Valid only inside the mutation. After any LMDB failure in it (for example the map being
/// full) every later call throws `.transactionFailed`, and the mutation fails even if it
/// swallows the error.
public final class WriteTransaction: ReadTransaction {
    /// Stores `value` under `key`, replacing any value there unless `overwrite` is false.
    /// Returns false, writing nothing, when `overwrite` is false and the key exists.
    /// Views read earlier in this transaction are invalid afterwards.
    @discardableResult
    public func put(
        _ value: [UInt8], for key: [UInt8], in database: Database, overwrite: Bool = true
    ) throws(StoreError) -> Bool {
        try perform { () throws(StoreError) in
            try withKey(key) { keyBytes throws(StoreError) in
                try withBytes(value) { valueBytes throws(StoreError) in
                    try LMDB.put(
                        handle, database.handle, key: keyBytes, value: valueBytes,
                        overwrite: overwrite)
                }
            }
        }
    }

    /// Stores a value of `count` bytes under `key`, written in place by `fill`, which must
    /// set every byte. Saves a copy when encoding straight into the map.
    public func put(
        reserving count: Int, for key: [UInt8], in database: Database,
        _ fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(StoreError) {
        precondition(count >= 0, "negative value size")
        let space = try perform { () throws(StoreError) in
            try withKey(key) { keyBytes throws(StoreError) in
                try LMDB.reserve(handle, database.handle, key: keyBytes, count: count)
            }
        }
        fill(space)
    }

    /// Removes `key`; returns false when it was absent.
    /// Views read earlier in this transaction are invalid afterwards.
    @discardableResult
    public func delete(_ key: [UInt8], in database: Database) throws(StoreError) -> Bool {
        try perform { () throws(StoreError) in
            try withKey(key) { bytes throws(StoreError) in
                try LMDB.delete(handle, database.handle, key: bytes)
            }
        }
    }
}
