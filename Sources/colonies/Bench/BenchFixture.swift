import Client
import Wire

/// A colony with approved runtimes, made fresh for each scenario through the ordinary
/// client, so the scenario's requests pass every rule the server checks.
struct BenchFixture {
    let colonyKey: PrivateKey
    let runtimeKeys: [PrivateKey]

    var colonyId: ID { colonyKey.id }
    var runtimeKey: PrivateKey { runtimeKeys[0] }

    /// Adds a colony (signed by the server owner) and `runtimes` approved runtimes.
    init(host: String, port: UInt16, serverKey: PrivateKey, runtimes: Int) throws(BenchError) {
        colonyKey = PrivateKey.generate()
        runtimeKeys = (0..<max(1, runtimes)).map { _ in PrivateKey.generate() }
        do {
            let client = try ColoniesClient(host: host, port: port)
            let suffix = String(colonyKey.id.hex.prefix(8))
            _ = try client.addColony(
                Colony(id: colonyKey.id, name: Text("bench-" + suffix)), serverKey: serverKey)
            for (n, key) in runtimeKeys.enumerated() {
                let runtime = Runtime(
                    id: key.id, colonyId: colonyKey.id, name: Text("bench-runtime-\(n)"),
                    type: "bench")
                _ = try client.addRuntime(runtime, colonyKey: colonyKey)
                _ = try client.approveRuntime(key.id, colonyKey: colonyKey)
            }
        } catch {
            throw .setup("\(error)")
        }
    }

    /// The spec every scenario submits: runs anywhere in the colony, never times out.
    var spec: ProcessSpec {
        ProcessSpec(conditions: Conditions(colonyId: colonyId), function: "bench")
    }

    /// Submits one process and returns its id, for the reads scenario to fetch.
    func submitOne(host: String, port: UInt16) throws(BenchError) -> ID {
        do {
            let client = try ColoniesClient(host: host, port: port)
            return try client.submit(spec, runtimeKey: runtimeKey).id
        } catch {
            throw .setup("\(error)")
        }
    }
}
