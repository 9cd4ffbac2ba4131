import Foundation
import Wire

/// SplitMix64: small, fast and fully determined by its seed, so a failing random test can be
/// re-run exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A generator seeded from COLONIES_TEST_SEED, or from the clock; the seed is printed so
    /// that a failure can be reproduced with `COLONIES_TEST_SEED=<seed> swift test ...`.
    static func forTest(_ name: String) -> SeededGenerator {
        let env = ProcessInfo.processInfo.environment["COLONIES_TEST_SEED"]
        let seed = env.flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        print("\(name): seed \(seed) (re-run with COLONIES_TEST_SEED=\(seed))")
        return SeededGenerator(seed: seed)
    }
}

/// Random values that satisfy every rule of the protocol, for round trips.
struct RandomMessages {
    var rng: SeededGenerator

    mutating func int<T: FixedWidthInteger>(_ range: ClosedRange<T>) -> T {
        T.random(in: range, using: &rng)
    }

    mutating func any<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
        T.random(in: T.min...T.max, using: &rng)
    }

    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    /// A length up to `max`: mostly short, sometimes the limit itself.
    mutating func length(_ max: Int, min: Int = 0) -> Int {
        switch int(1...10) {
        case 1: max
        case 2: int(min...max)
        default: int(min...Swift.min(max, min + 12))
        }
    }

    mutating func id() -> ID {
        var bytes: [UInt8] = []
        for _ in 0..<32 { bytes.append(any()) }
        return ID(bytes: bytes)!
    }

    private static let nameBytes = Array(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)

    mutating func name(max: Int = Limits.maxName) -> Text {
        let n = length(max, min: 1)
        var s = ""
        for _ in 0..<n {
            s.unicodeScalars.append(Unicode.Scalar(Self.nameBytes.randomElement(using: &rng)!))
        }
        return Text(s)
    }

    mutating func envKey() -> Text {
        let first = Array("abcxyzABCXYZ_".unicodeScalars)
        let rest = Array("abcxyzABCXYZ_0123456789".unicodeScalars)
        var s = String(first.randomElement(using: &rng)!)
        for _ in 1..<length(Limits.maxEnvKey, min: 1) {
            s.unicodeScalars.append(rest.randomElement(using: &rng)!)
        }
        return Text(s)
    }

    /// A random scalar; `control` allows C0 controls and DEL, `nul` allows U+0000.
    mutating func scalar(control: Bool, nul: Bool) -> Unicode.Scalar {
        while true {
            let v: UInt32 =
                switch int(1...6) {
                case 1: int(0...0x1f)
                case 2, 3: int(0x20...0x7f)
                case 4: int(0x80...0x7ff)
                case 5: int(0x800...0xffff)
                default: int(0x10000...0x10ffff)
                }
            guard let s = Unicode.Scalar(v) else { continue }  // surrogates
            if v == 0 && !nul { continue }
            if (v < 0x20 || v == 0x7f) && v != 0 && !control { continue }
            return s
        }
    }

    /// A text of at most `max` UTF-8 bytes.
    mutating func text(max: Int, min: Int = 0, control: Bool = false, nul: Bool = false) -> Text {
        let target = length(max, min: min)
        var s = ""
        var bytes = 0
        while bytes < target {
            let c = scalar(control: control, nul: nul)
            let n = String(c).utf8.count
            if bytes + n > max { break }
            s.unicodeScalars.append(c)
            bytes += n
        }
        while s.utf8.count < min { s += "a" }
        return Text(s)
    }

    mutating func seconds() -> Int32 { chance(20) ? -1 : int(1...Limits.maxSeconds) }

    mutating func colony() -> Colony { Colony(id: id(), name: name()) }

    mutating func runtime() -> Runtime {
        Runtime(
            id: id(), colonyId: id(), name: name(), type: name(),
            cpu: text(max: Limits.maxDescription), cores: any(), mem: any(),
            gpu: text(max: Limits.maxDescription), gpus: any(),
            state: RuntimeState.allCases.randomElement(using: &rng)!, registeredAt: any())
    }

    mutating func conditions() -> Conditions {
        var ids = Set<ID>()
        for _ in 0..<length(Limits.maxRuntimeIDs) { ids.insert(id()) }
        return Conditions(
            colonyId: id(), runtimeIds: Array(ids), runtimeType: chance(30) ? .empty : name(),
            mem: any(), cores: any(), gpus: any())
    }

    mutating func spec() -> ProcessSpec {
        var args: [Text] = []
        for _ in 0..<length(Limits.maxArgs) {
            args.append(text(max: chance(5) ? Limits.maxArg : 40, control: true))
        }
        var env: [Text: EnvVar] = [:]
        for _ in 0..<length(Limits.maxEnv) {
            let key = envKey()
            env[key] = EnvVar(
                key: key, value: text(max: chance(5) ? Limits.maxEnvValue : 40, control: true))
        }
        return ProcessSpec(
            conditions: conditions(), function: text(max: Limits.maxFunc, min: 1),
            args: args, env: Array(env.values), priority: int(Limits.priorities),
            timeout: seconds(), maxWaitTime: seconds(), maxRetries: int(-1...Limits.maxRetries))
    }

    mutating func process() -> Wire.Process {
        Wire.Process(
            id: id(), state: ProcessState.allCases.randomElement(using: &rng)!,
            assignedRuntime: chance(50) ? id() : nil, attempt: any(), retries: any(),
            submittedAt: any(), startedAt: any(), endedAt: any(), deadline: any(),
            waitDeadline: any(), spec: spec())
    }

    mutating func attributeType() -> AttributeType {
        AttributeType.allCases.randomElement(using: &rng)!
    }

    mutating func attributeValue() -> Text {
        text(max: chance(5) ? Limits.maxAttributeValue : 100, control: true, nul: true)
    }

    mutating func attribute() -> Attribute {
        Attribute(
            id: id(), processId: id(), attempt: any(), type: attributeType(),
            key: name(max: Limits.maxAttributeKey), value: attributeValue(), addedAt: any())
    }

    mutating func newAttribute() -> NewAttribute {
        NewAttribute(
            processId: id(), attempt: any(), type: attributeType(),
            key: name(max: Limits.maxAttributeKey), value: attributeValue())
    }

    mutating func stateCount() -> StateCount { StateCount(count: any(), oldestAt: any()) }

    mutating func statistics() -> Statistics {
        Statistics(
            colonyId: id(), runtimes: any(), approvedRuntimes: any(), waiting: stateCount(),
            running: stateCount(), successful: stateCount(), failed: stateCount())
    }

    mutating func hello() -> Hello {
        let low: UInt8 = any()
        return Hello(minVersion: low, maxVersion: int(low...255), challenge: id(), serverId: id())
    }

    mutating func pong() -> Pong {
        Pong(protocolVersion: any(), serverVersion: text(max: Limits.maxName), serverId: id())
    }

    mutating func errorBody() -> ErrorBody {
        ErrorBody(
            code: ErrorCode(rawValue: any()),
            message: text(max: Limits.maxErrorMessage, control: true, nul: true))
    }

    mutating func state() -> ProcessState { ProcessState.allCases.randomElement(using: &rng)! }

    mutating func request() -> Request {
        switch int(0...22) {
        case 0: return .ping
        case 1: return .addColony(colony())
        case 2: return .listColonies
        case 3: return .getColony(colonyId: id())
        case 4: return .removeColony(colonyId: id())
        case 5:
            var r = runtime()
            r.state = .pending
            r.registeredAt = 0
            return .addRuntime(r)
        case 6: return .listRuntimes(colonyId: id())
        case 7: return .getRuntime(runtimeId: id())
        case 8: return .approveRuntime(runtimeId: id())
        case 9: return .rejectRuntime(runtimeId: id())
        case 10: return .removeRuntime(runtimeId: id())
        case 11: return .submitProcess(spec())
        case 12: return .getProcess(processId: id())
        case 13:
            return .listProcesses(
                colonyId: id(), state: state(), count: int(1...UInt16(Limits.maxListCount)))
        case 14: return .assignProcess(colonyId: id(), waitSeconds: int(0...Limits.maxWaitSeconds))
        case 15: return .closeSuccessful(processId: id(), attempt: any())
        case 16: return .closeFailed(processId: id(), attempt: any())
        case 17: return .removeProcess(processId: id())
        case 18: return .colonyStatistics(colonyId: id())
        case 19: return .addAttribute(newAttribute())
        case 20: return .getAttribute(attributeId: id())
        case 21: return .subscribeProcess(processId: id())
        default: return .subscribeColony(colonyId: id(), state: state())
        }
    }

    mutating func list<T: WireCodable>(_ make: (inout RandomMessages) -> T) -> WireList<T> {
        var items: [T] = []
        for _ in 0..<int(0...4) { items.append(make(&self)) }
        return WireList(items)
    }

    /// A reply and the request type it answers.
    mutating func reply() -> (MessageType, Reply) {
        switch int(0...11) {
        case 0: return (.ping, .pong(pong()))
        case 1: return (.getColony, .colony(colony()))
        case 2: return (.listColonies, .colonies(list { $0.colony() }))
        case 3: return (.approveRuntime, .runtime(runtime()))
        case 4: return (.listRuntimes, .runtimes(list { $0.runtime() }))
        case 5: return (.submitProcess, .process(process()))
        case 6:
            return (.getProcess, .processDetails(process(), attributes: list { $0.attribute() }))
        case 7: return (.listProcesses, .processes(list { $0.process() }, truncated: chance(50)))
        case 8: return (.assignProcess, .assignment(chance(50) ? process() : nil))
        case 9: return (.getAttribute, .attribute(attribute()))
        case 10: return (.colonyStatistics, .statistics(statistics()))
        default: return (.removeProcess, .done)
        }
    }
}
