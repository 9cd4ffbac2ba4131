import Wire

/// The fixed inputs of the vectors: keys from Resources/identity.json, a fixed challenge and
/// fixed field values. Signatures are deterministic (RFC 6979), so the same inputs always
/// give the same frames.
enum Fixtures {
    static let serverOwnerKeyHex =
        "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
    static let colonyOwnerKeyHex =
        "3b1b3a41e4f0ee0e8f8ac2b2e1f6b3c3d9f8a7e6d5c4b3a291807f6e5d4c3b2a"
    static let runtimeKeyHex = "0000000000000000000000000000000000000000000000000000000000000001"
    static let otherRuntimeKeyHex =
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"

    static func key(_ hex: String) -> PrivateKey {
        do {
            return try PrivateKey(hex: hex)
        } catch {
            preconditionFailure("fixture key \(hex) is not a valid private key")
        }
    }

    // Keys are classes that wipe themselves, so each use makes its own.
    static var serverOwnerKey: PrivateKey { key(serverOwnerKeyHex) }
    static var colonyOwnerKey: PrivateKey { key(colonyOwnerKeyHex) }
    static var runtimeKey: PrivateKey { key(runtimeKeyHex) }
    static var otherRuntimeKey: PrivateKey { key(otherRuntimeKeyHex) }

    static let serverId = ID(
        hex: "4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87")!
    static let colonyId = ID(
        hex: "de7e029e2a44ed19ce52577d92e72ce2549131597d549c973cb998af8070042b")!
    static let runtimeId = ID(
        hex: "2036f5bc759cfb3589fb4e2342bc9b3c843c5ef27dc8ded538de328a7567089b")!
    static let otherRuntimeId =
        ID(hex: "8a1239501ae5ad811ed1de202778d48556f8977f597b971baa2d4e20deb49dd9")!

    /// The challenge of the hello every request vector is signed for.
    static let challenge = SHA3.digest(Array("colonies/vectors/challenge".utf8))
    /// Another connection's challenge, for the replay vector.
    static let otherChallenge = SHA3.digest(Array("colonies/vectors/other-challenge".utf8))

    static let processId = SHA3.digest(Array("colonies/vectors/process".utf8))
    static let otherProcessId = SHA3.digest(Array("colonies/vectors/process-2".utf8))
    static let otherColonyId = SHA3.digest(Array("colonies/vectors/colony-2".utf8))

    /// 2023-11-14T22:13:20Z in nanoseconds since the Unix epoch.
    static let t0: Int64 = 1_700_000_000_000_000_000
    static let second: Int64 = 1_000_000_000

    static let colony = Colony(id: colonyId, name: "lab-colony")

    /// A runtime as its colony's owner registers it: state and registration time are 0.
    static let newRuntime = Runtime(
        id: runtimeId, colonyId: colonyId, name: "edge-node-17", type: "raspberry-pi",
        cpu: "Cortex-A72 (4) @ 1.5GHz", cores: 4, mem: 3792, gpu: "", gpus: 0)

    static var storedRuntime: Runtime {
        var r = newRuntime
        r.registeredAt = t0 + second
        return r
    }

    static var rejectedRuntime: Runtime {
        Runtime(
            id: otherRuntimeId, colonyId: colonyId, name: "gpu-box", type: "x86-64",
            cpu: "EPYC 7302", cores: 16, mem: 65_536, gpu: "RTX A4000", gpus: 2,
            state: .rejected, registeredAt: t0 + 2 * second)
    }

    /// The spec of the submit vector: conditions with runtime ids, arguments (one not ASCII),
    /// and environment variables given out of order (the encoding sorts them).
    static var submittedSpec: ProcessSpec {
        ProcessSpec(
            conditions: Conditions(
                colonyId: colonyId, runtimeIds: [runtimeId, otherRuntimeId],
                runtimeType: "raspberry-pi", mem: 512, cores: 1, gpus: 0),
            function: "echo", args: ["temperature", "21.5", "grüße"],
            env: [
                EnvVar(key: "SENSOR", value: "greenhouse-3"), EnvVar(key: "LANG", value: "C.UTF-8"),
            ],
            priority: 5, timeout: 30, maxWaitTime: 600, maxRetries: 3)
    }

    /// A smaller spec for the processes in replies and events.
    static var storedSpec: ProcessSpec {
        ProcessSpec(
            conditions: Conditions(colonyId: colonyId, runtimeType: "raspberry-pi"),
            function: "echo", args: ["temperature"],
            env: [EnvVar(key: "SENSOR", value: "greenhouse-3")],
            priority: 0, timeout: 30, maxWaitTime: -1, maxRetries: 3)
    }

    static var waitingProcess: Process {
        Process(
            id: processId, state: .waiting, submittedAt: t0 + 10 * second,
            waitDeadline: t0 + 610 * second, spec: submittedSpec)
    }

    static var runningProcess: Process {
        Process(
            id: processId, state: .running, assignedRuntime: runtimeId, attempt: 1,
            submittedAt: t0 + 10 * second, startedAt: t0 + 12 * second,
            deadline: t0 + 42 * second, spec: storedSpec)
    }

    /// The running process after its runtime closed it: closing ends the run, so its
    /// deadline is 0 again (and waitdeadline stays 0, as assignment left it).
    static var successfulProcess: Process {
        var p = runningProcess
        p.state = .successful
        p.endedAt = t0 + 20 * second
        p.deadline = 0
        return p
    }

    static var otherWaitingProcess: Process {
        Process(
            id: otherProcessId, state: .waiting, submittedAt: t0 + 11 * second, spec: storedSpec)
    }

    static let newAttribute = NewAttribute(
        processId: processId, attempt: 1, type: .output, key: "result", value: "21.5 °C\n")

    static var attribute: Attribute {
        Attribute(
            id: Attribute.id(processId: processId, type: .output, key: "result"),
            processId: processId, attempt: 1, type: .output, key: "result", value: "21.5 °C\n",
            addedAt: t0 + 19 * second)
    }

    static var statistics: Statistics {
        Statistics(
            colonyId: colonyId, runtimes: 2, approvedRuntimes: 1,
            waiting: StateCount(count: 1, oldestAt: t0 + 11 * second),
            running: StateCount(count: 1, oldestAt: t0 + 12 * second),
            successful: StateCount(count: 0, oldestAt: 0),
            failed: StateCount(count: 0, oldestAt: 0))
    }

    static var hello: Hello {
        Hello(minVersion: 1, maxVersion: 1, challenge: challenge, serverId: serverId)
    }

    static var pong: Pong {
        Pong(protocolVersion: 1, serverVersion: "colonies-swift 0.1.0", serverId: serverId)
    }
}
