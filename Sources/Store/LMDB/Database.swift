/// A named database (an LMDB `MDB_dbi`) inside an environment: a sorted map from byte keys
/// to byte values. Handles are opened once when the environment opens and stay valid until
/// it closes; they are meaningless for any other environment.
public struct Database: Hashable, Sendable {
    public let name: String

    let handle: UInt32

    init(name: String, handle: UInt32) {
        self.name = name
        self.handle = handle
    }
}
