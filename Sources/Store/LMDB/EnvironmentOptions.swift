/// How commits reach the disk.
public enum Durability: Sendable, Equatable {
    /// Each commit is flushed with fsync before its completions run. The default.
    case synchronous

    /// MDB_NOSYNC: commits are not flushed. A crash of this process loses nothing, since
    /// the operating system still holds the writes, but a crash of the machine or a power
    /// loss can lose the most recent commits that callers were told were durable, and on a
    /// file system that reorders writes it can corrupt the database. For tests and
    /// benchmarks, or data that can be rebuilt.
    case unsafeNoSync
}

/// Settings for `LMDBEnvironment`.
public struct EnvironmentOptions: Sendable, Equatable {
    /// The map size at open, in bytes. LMDB raises it to cover data already in the file.
    public var initialMapSize: Int

    /// The size the map may grow to when a write finds it full. See `dataLimit`.
    public var maximumMapSize: Int

    /// How many read transactions may be open at once in all processes using the folder.
    public var maxReaders: Int

    public var durability: Durability

    public init(
        initialMapSize: Int = 1 << 30,
        maximumMapSize: Int = 1 << 36,
        maxReaders: Int = 126,
        durability: Durability = .synchronous
    ) {
        self.initialMapSize = initialMapSize
        self.maximumMapSize = maximumMapSize
        self.maxReaders = maxReaders
        self.durability = durability
    }

    /// How much data the store holds before writes that add more fail with
    /// `StoreError.storeFull`: seven eighths of `maximumMapSize`.
    ///
    /// The last eighth stays free so that a full store can still delete. LMDB copies every
    /// page it changes and reuses a freed page only after later commits, so on a map that
    /// is truly full even a deletion finds no page to write to.
    public var dataLimit: Int {
        maximumMapSize - maximumMapSize / 8
    }

    /// Rejects settings LMDB would reject later with a vaguer error.
    func validate() throws(StoreError) {
        guard initialMapSize > 0 else {
            throw .invalidConfiguration("initialMapSize must be positive")
        }
        guard maximumMapSize >= initialMapSize else {
            throw .invalidConfiguration("maximumMapSize is below initialMapSize")
        }
        guard maxReaders > 0 && maxReaders <= Int(UInt32.max) else {
            throw .invalidConfiguration("maxReaders must be positive")
        }
    }
}
