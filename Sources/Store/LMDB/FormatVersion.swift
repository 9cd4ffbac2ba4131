/// The format version lives in the "meta" database under the key "format", as a 4-byte
/// little-endian integer. A new folder gets the current version; a folder from a newer
/// build is refused before any of its other databases is opened or created.
extension LMDBEnvironment {
    static let formatKey = Array("format".utf8)

    /// Opens "meta" and checks the format version, then opens the named databases, all in
    /// one write transaction so that a refused folder is left untouched.
    static func openDatabases(
        _ env: OpaquePointer, path: String, names: [String]
    ) throws(StoreError) -> (meta: Database, named: [String: Database], main: UInt32) {
        let txn = try LMDB.begin(env, parent: nil, readOnly: false)
        let meta: Database
        let main: UInt32
        var named: [String: Database] = [:]
        do {
            meta = Database(name: metaName, handle: try LMDB.openDatabase(txn, name: metaName))
            try checkFormat(txn, meta: meta)
            main = try LMDB.openMainDatabase(txn)

            for name in names {
                named[name] = Database(name: name, handle: try LMDB.openDatabase(txn, name: name))
            }
        } catch {
            LMDB.abort(txn)
            throw error
        }

        try LMDB.commit(txn, path: path)
        return (meta, named, main)
    }

    /// Writes the current version into a new folder or verifies the stored one.
    private static func checkFormat(_ txn: OpaquePointer, meta: Database) throws(StoreError) {
        let stored = try withBytes(formatKey) { key throws(StoreError) in
            try LMDB.get(txn, meta.handle, key: key).map(Array.init)
        }
        guard let stored else {
            try writeFormat(formatVersion, txn: txn, meta: meta)
            return
        }

        guard stored.count == 4 else {
            throw .corrupt("format version has \(stored.count) bytes, expected 4")
        }
        let found = stored.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if found > formatVersion {
            throw .newerFormat(found: found, supported: formatVersion)
        }
        if found == 0 {
            throw .corrupt("format version 0")
        }
    }

    static func writeFormat(
        _ version: UInt32, txn: OpaquePointer, meta: Database
    ) throws(StoreError) {
        let value = (0..<4).map { UInt8(truncatingIfNeeded: version >> (8 * $0)) }
        _ = try withBytes(formatKey) { key throws(StoreError) in
            try withBytes(value) { bytes throws(StoreError) in
                try LMDB.put(txn, meta.handle, key: key, value: bytes, overwrite: true)
            }
        }
    }
}
