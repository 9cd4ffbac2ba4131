import CLMDB
import Glibc

/// Thin wrappers over liblmdb's environment calls. Together with LMDBTransactionCalls.swift
/// this is the only code that calls into liblmdb, so return codes become `StoreError` in one
/// place. Handles are `OpaquePointer`s owned by the safe types that call these functions.
enum LMDB {
    /// Throws the `StoreError` for a non-zero return code. `path` is given for calls that do
    /// file I/O, so that errno values about the file system name the folder.
    static func check(_ code: Int32, _ call: String, path: String? = nil) throws(StoreError) {
        if code != 0 {
            throw error(code: code, call: call, path: path)
        }
    }

    /// Maps an LMDB return code or errno value to its `StoreError` case.
    static func error(code: Int32, call: String, path: String?) -> StoreError {
        switch code {
        case MDB_MAP_FULL: return .storeFull
        case MDB_TXN_FULL: return .transactionTooLarge
        case MDB_READERS_FULL: return .readersFull
        case MDB_BAD_TXN: return .transactionFailed
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH:
            return .corrupt("\(call): \(describe(code))")
        default: break
        }

        guard let path else { return .lmdb(code: code, call: call) }
        switch code {
        case ENOSPC, EDQUOT: return .diskFull(path: path)
        case EROFS, EACCES, EPERM: return .readOnly(path: path)
        case ENOTDIR: return .notADirectory(path: path)
        default: return .lmdb(code: code, call: call)
        }
    }

    /// LMDB's message for its own codes, strerror's for errno values.
    static func describe(_ code: Int32) -> String {
        String(cString: mdb_strerror(code))
    }

    /// Creates the data folder with mode 0700, or accepts an existing one.
    static func makeDirectory(_ path: String) throws(StoreError) {
        if mkdir(path, 0o700) == 0 { return }

        let code = errno
        // An existing folder is the normal case; if a file stands there, mdb_env_open says so.
        if code != EEXIST {
            throw error(code: code, call: "mkdir", path: path)
        }
    }

    static func createEnvironment() throws(StoreError) -> OpaquePointer {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw .lmdb(code: EINVAL, call: "mdb_env_create") }
        return env
    }

    /// Applies the settings that must precede mdb_env_open.
    static func configure(
        _ env: OpaquePointer, mapSize: Int, maxDatabases: Int, maxReaders: Int
    ) throws(StoreError) {
        try check(mdb_env_set_mapsize(env, mapSize), "mdb_env_set_mapsize")
        try check(mdb_env_set_maxdbs(env, MDB_dbi(maxDatabases)), "mdb_env_set_maxdbs")
        try check(mdb_env_set_maxreaders(env, UInt32(maxReaders)), "mdb_env_set_maxreaders")
    }

    /// Opens the environment in `path`. MDB_NOTLS ties reader slots to transactions rather
    /// than threads, so a read transaction may run on any thread.
    static func open(_ env: OpaquePointer, path: String, noSync: Bool) throws(StoreError) {
        var flags = UInt32(MDB_NOTLS)
        if noSync {
            flags |= UInt32(MDB_NOSYNC)
        }
        try check(mdb_env_open(env, path, flags, 0o600), "mdb_env_open", path: path)
    }

    static func close(_ env: OpaquePointer) {
        mdb_env_close(env)
    }

    /// Changes the map size. The caller guarantees that no transaction of this process is
    /// active; LMDB does not check it for read transactions.
    static func setMapSize(_ env: OpaquePointer, _ size: Int) throws(StoreError) {
        try check(mdb_env_set_mapsize(env, size), "mdb_env_set_mapsize")
    }

    /// The current size of the memory map, which LMDB may have raised above the configured
    /// size to cover data already in the file.
    static func mapSize(_ env: OpaquePointer) throws(StoreError) -> Int {
        var info = MDB_envinfo()
        try check(mdb_env_info(env, &info), "mdb_env_info")
        return info.me_mapsize
    }

    /// Frees reader slots left by processes that died; returns how many were freed.
    @discardableResult
    static func clearStaleReaders(_ env: OpaquePointer) throws(StoreError) -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        return Int(dead)
    }

    static func maxKeySize(_ env: OpaquePointer) -> Int {
        Int(mdb_env_get_maxkeysize(env))
    }

    /// Opens (creating if missing) the named database inside the write transaction `txn`.
    /// The handle becomes usable by other transactions once `txn` commits.
    static func openDatabase(_ txn: OpaquePointer, name: String) throws(StoreError) -> UInt32 {
        var dbi = MDB_dbi()
        try check(mdb_dbi_open(txn, name, UInt32(MDB_CREATE), &dbi), "mdb_dbi_open(\(name))")
        return dbi
    }

    /// The main database, which lists the named ones; its handle never changes.
    static func openMainDatabase(_ txn: OpaquePointer) throws(StoreError) -> UInt32 {
        var dbi = MDB_dbi()
        try check(mdb_dbi_open(txn, nil, 0, &dbi), "mdb_dbi_open(main)")
        return dbi
    }

    /// The bytes of the pages holding one database's tree, as `txn` sees it. LMDB keeps
    /// these counts in the database record, so this costs no page reads.
    static func treeBytes(_ txn: OpaquePointer, _ dbi: UInt32) throws(StoreError) -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(txn, dbi, &stat), "mdb_stat")
        let pages = stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages
        return pages * Int(stat.ms_psize)
    }
}
