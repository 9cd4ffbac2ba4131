import Store
import Synchronization
import Wire

/// The parts of a running server that every loop shares. All of them are thread-safe.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let store: ColonyStore
    let rules: Rules
    let log: Log
    let waiters = Waiters()
    let subscriptions = Subscriptions()
    private let tokens = Atomic<UInt64>(0)

    init(configuration: ServerConfiguration, store: ColonyStore, log: Log) {
        self.configuration = configuration
        self.store = store
        self.log = log
        rules = Rules(store: store, serverOwner: configuration.serverOwner)
    }

    /// A number never handed out before in this process.
    func nextToken() -> UInt64 {
        tokens.add(1, ordering: .relaxed).newValue
    }

    var hello: (ID) -> Hello {
        let owner = configuration.serverOwner
        return { challenge in
            Hello(
                minVersion: FrameLayout.version, maxVersion: FrameLayout.version,
                challenge: challenge, serverId: owner)
        }
    }
}
