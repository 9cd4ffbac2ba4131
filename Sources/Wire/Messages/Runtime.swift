/// Whether a colony's owner has let a runtime in.
public enum RuntimeState: UInt8, Sendable, CaseIterable {
    case pending = 0
    case approved = 1
    case rejected = 2

    public var name: String {
        switch self {
        case .pending: "pending"
        case .approved: "approved"
        case .rejected: "rejected"
        }
    }
}

/// A runtime: a machine that runs processes for one colony. Its id is the id of its key.
///
/// Layout: `id`, `colonyId` (32 bytes each), `name` (name rule), `type` (name rule),
/// `cpu` (description), `cores` (u32), `mem` (u64, MiB), `gpu` (description), `gpus` (u32),
/// `state` (u8: 0 pending, 1 approved, 2 rejected), `registeredAt` (i64, ns since the epoch).
/// In an add request the server ignores `state` and `registeredAt` but they must be 0.
public struct Runtime: WireCodable, Hashable {
    public var id: ID
    public var colonyId: ID
    public var name: Text
    public var type: Text
    public var cpu: Text
    public var cores: UInt32
    public var mem: UInt64
    public var gpu: Text
    public var gpus: UInt32
    public var state: RuntimeState
    public var registeredAt: Int64

    public init(
        id: ID, colonyId: ID, name: Text, type: Text, cpu: Text = .empty, cores: UInt32 = 0,
        mem: UInt64 = 0, gpu: Text = .empty, gpus: UInt32 = 0, state: RuntimeState = .pending,
        registeredAt: Int64 = 0
    ) {
        self.id = id
        self.colonyId = colonyId
        self.name = name
        self.type = type
        self.cpu = cpu
        self.cores = cores
        self.mem = mem
        self.gpu = gpu
        self.gpus = gpus
        self.state = state
        self.registeredAt = registeredAt
    }

    public func encode(to w: inout WireWriter) {
        w.id(id)
        w.id(colonyId)
        w.text(name)
        w.text(type)
        w.text(cpu)
        w.u32(cores)
        w.u64(mem)
        w.text(gpu)
        w.u32(gpus)
        w.u8(state.rawValue)
        w.i64(registeredAt)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Runtime {
        let id = try r.id("runtime.id")
        let colonyId = try r.id("runtime.colonyid")
        let name = try r.text(max: Limits.maxName, "runtime.name")
        try Rules.name(name, "runtime.name")
        let type = try r.text(max: Limits.maxName, "runtime.runtimetype")
        try Rules.name(type, "runtime.runtimetype")
        let cpu = try r.text(max: Limits.maxDescription, "runtime.cpu")
        try Rules.printable(cpu, max: Limits.maxDescription, "runtime.cpu")
        let cores = try r.u32("runtime.cores")
        let mem = try r.u64("runtime.mem")
        let gpu = try r.text(max: Limits.maxDescription, "runtime.gpu")
        try Rules.printable(gpu, max: Limits.maxDescription, "runtime.gpu")
        let gpus = try r.u32("runtime.gpus")
        guard let state = RuntimeState(rawValue: try r.u8("runtime.state")) else {
            throw WireError(.badEnum, "runtime.state")
        }
        let registeredAt = try r.i64("runtime.registeredat")
        return Runtime(
            id: id, colonyId: colonyId, name: name, type: type, cpu: cpu, cores: cores,
            mem: mem, gpu: gpu, gpus: gpus, state: state, registeredAt: registeredAt)
    }
}
