/// The errors of the store. Each case names one situation a caller can act on; anything
/// LMDB reports that has no case of its own arrives as `.lmdb(code:call:)`, naming the call.
///
/// A key that is absent is not an error: lookups return `nil`.
public enum StoreError: Error, Equatable, Sendable {
    /// The store is full: a mutation would take the data past `EnvironmentOptions.dataLimit`,
    /// or found the memory map full at `maximumMapSize`. Reads keep working; mutations that
    /// remove data still commit, and writes succeed again once they have freed space, or
    /// after reopening the store with a larger maximum.
    case storeFull

    /// The data folder was written by a newer build; this build refuses to touch it.
    case newerFormat(found: UInt32, supported: UInt32)

    /// The data folder cannot be written: a read-only file system, or permissions
    /// (EROFS, EACCES, EPERM).
    case readOnly(path: String)

    /// The disk or the user's quota is full (ENOSPC, EDQUOT).
    case diskFull(path: String)

    /// A file stands where the data folder should be, or a component of its path is a file.
    case notADirectory(path: String)

    /// The data files are damaged or are not LMDB files; the detail names what was found.
    case corrupt(String)

    /// A compare-and-set mutation found a state other than the one it expected. Thrown by
    /// mutations of the layers above; the group committer aborts just that mutation.
    case conflict

    /// A key must be 1 to `LMDBEnvironment.maxKeySize` bytes long.
    case invalidKey(length: Int)

    /// The options or database names given at open are unusable; the detail says why.
    case invalidConfiguration(String)

    /// An earlier operation in this transaction failed, so LMDB refuses every later one.
    case transactionFailed

    /// One write transaction dirtied more pages than LMDB can track (MDB_TXN_FULL).
    case transactionTooLarge

    /// Every reader slot is taken (MDB_READERS_FULL): too many concurrent read transactions.
    case readersFull

    /// The environment or the group committer has been closed.
    case closed

    /// An operating-system call outside LMDB failed, such as starting the writer thread.
    case system(errno: Int32, call: String)

    /// Any other LMDB failure: the return code and the C function that returned it.
    case lmdb(code: Int32, call: String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .storeFull: "store full: the data reached the configured maximum size"
        case .newerFormat(let found, let supported):
            "data folder has format version \(found); this build supports up to \(supported)"
        case .readOnly(let path): "cannot write to \(path): read-only or permission denied"
        case .diskFull(let path): "disk full while writing \(path)"
        case .notADirectory(let path): "\(path) is not a directory"
        case .corrupt(let detail): "store corrupt: \(detail)"
        case .conflict: "conflict: the record changed since it was read"
        case .invalidKey(let length): "invalid key length \(length)"
        case .invalidConfiguration(let detail): "invalid store configuration: \(detail)"
        case .transactionFailed: "transaction already failed and must be aborted"
        case .transactionTooLarge: "transaction too large (MDB_TXN_FULL)"
        case .readersFull: "all LMDB reader slots are in use"
        case .closed: "store closed"
        case .system(let code, let call): "\(call) failed: \(LMDB.describe(code))"
        case .lmdb(let code, let call): "\(call) failed: \(LMDB.describe(code)) (\(code))"
        }
    }
}
