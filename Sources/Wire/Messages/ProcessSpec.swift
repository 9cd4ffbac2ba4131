/// One environment variable of a process.
///
/// Layout: `key` (env key rule), `value` (up to 4096 bytes, no NUL).
public struct EnvVar: WireCodable, Hashable {
    public var key: Text
    public var value: Text

    public init(key: Text, value: Text) {
        self.key = key
        self.value = value
    }

    public func encode(to w: inout WireWriter) {
        w.text(key)
        w.text(value)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> EnvVar {
        let key = try r.text(max: Limits.maxEnvKey, "spec.env.key")
        try Rules.envKey(key, "spec.env.key")
        let value = try r.text(max: Limits.maxEnvValue, "spec.env.value")
        try Rules.noNUL(value, max: Limits.maxEnvValue, "spec.env.value")
        return EnvVar(key: key, value: value)
    }
}

/// What a runtime must offer to be given a process.
///
/// Layout: `colonyId` (32 bytes), `runtimeIds` (list of ids, strictly ascending; empty: any
/// runtime of the colony), `runtimeType` (empty, or the name rule), `mem` (u64, MiB),
/// `cores` (u32), `gpus` (u32): minimums.
public struct Conditions: WireCodable, Hashable {
    public var colonyId: ID
    public var runtimeIds: WireList<ID>
    public var runtimeType: Text
    public var mem: UInt64
    public var cores: UInt32
    public var gpus: UInt32

    public init(
        colonyId: ID, runtimeIds: [ID] = [], runtimeType: Text = .empty, mem: UInt64 = 0,
        cores: UInt32 = 0, gpus: UInt32 = 0
    ) {
        self.colonyId = colonyId
        // A set: sorted, each id once, as the canonical form requires.
        self.runtimeIds = WireList(Array(Set(runtimeIds)).sorted())
        self.runtimeType = runtimeType
        self.mem = mem
        self.cores = cores
        self.gpus = gpus
    }

    public func encode(to w: inout WireWriter) {
        w.id(colonyId)
        runtimeIds.encode(to: &w)
        w.text(runtimeType)
        w.u64(mem)
        w.u32(cores)
        w.u32(gpus)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Conditions {
        var c = Conditions(colonyId: try r.id("spec.conditions.colonyid"))
        c.runtimeIds = try WireList<ID>.decode(
            from: &r, maxCount: Limits.maxRuntimeIDs, "spec.conditions.runtimeids"
        ) { (id: ID, previous: ID?) throws(WireError) in
            if let previous, !(previous < id) {
                throw WireError(.notSorted, "spec.conditions.runtimeids")
            }
        }
        c.runtimeType = try r.text(max: Limits.maxName, "spec.conditions.runtimetype")
        if !c.runtimeType.isEmpty { try Rules.name(c.runtimeType, "spec.conditions.runtimetype") }
        c.mem = try r.u64("spec.conditions.mem")
        c.cores = try r.u32("spec.conditions.cores")
        c.gpus = try r.u32("spec.conditions.gpus")
        return c
    }
}

/// What a client submits: where a process may run, what runs, and how it is scheduled.
///
/// Layout: `conditions`, `func` (1 to 256 bytes, no control characters), `args` (list of
/// texts), `env` (list of `EnvVar`, keys strictly ascending), `priority` (i32, -1000 to
/// 1000), `timeout` (i32 seconds, -1 or 1 to 31536000), `maxWaitTime` (same),
/// `maxRetries` (i32, -1 or 0 to 1000).
public struct ProcessSpec: WireCodable, Hashable {
    public var conditions: Conditions
    public var function: Text
    public var args: WireList<Text>
    public var env: WireList<EnvVar>
    public var priority: Int32
    public var timeout: Int32
    public var maxWaitTime: Int32
    public var maxRetries: Int32

    /// Makes a spec; `env` is sorted by key here so that the encoding is the canonical one,
    /// and of variables named more than once the last one given wins.
    public init(
        conditions: Conditions, function: Text, args: [Text] = [], env: [EnvVar] = [],
        priority: Int32 = 0, timeout: Int32 = -1, maxWaitTime: Int32 = -1, maxRetries: Int32 = 0
    ) {
        self.conditions = conditions
        self.function = function
        self.args = WireList(args)
        var byKey: [Text: EnvVar] = [:]
        for variable in env { byKey[variable.key] = variable }
        self.env = WireList(byKey.values.sorted { $0.key < $1.key })
        self.priority = priority
        self.timeout = timeout
        self.maxWaitTime = maxWaitTime
        self.maxRetries = maxRetries
    }

    public func encode(to w: inout WireWriter) {
        conditions.encode(to: &w)
        w.text(function)
        args.encode(to: &w)
        env.encode(to: &w)
        w.i32(priority)
        w.i32(timeout)
        w.i32(maxWaitTime)
        w.i32(maxRetries)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> ProcessSpec {
        var s = ProcessSpec(conditions: try Conditions.decode(from: &r), function: .empty)
        s.function = try r.text(max: Limits.maxFunc, "spec.func")
        try Rules.printable(s.function, max: Limits.maxFunc, allowEmpty: false, "spec.func")
        s.args = try WireList<Text>.decode(
            from: &r, maxCount: Limits.maxArgs, "spec.args",
            element: { (r: inout WireReader) throws(WireError) in
                try r.text(max: Limits.maxArg, "spec.args")
            },
            check: { (arg: Text, _: Text?) throws(WireError) in
                try Rules.noNUL(arg, max: Limits.maxArg, "spec.args")
            })
        s.env = try WireList<EnvVar>.decode(from: &r, maxCount: Limits.maxEnv, "spec.env") {
            (v: EnvVar, previous: EnvVar?) throws(WireError) in
            if let previous, !(previous.key < v.key) { throw WireError(.notSorted, "spec.env") }
        }
        s.priority = try r.i32("spec.priority")
        guard Limits.priorities.contains(s.priority) else {
            throw WireError(.invalidValue, "spec.priority")
        }
        s.timeout = try r.i32("spec.timeout")
        try Rules.seconds(s.timeout, "spec.timeout")
        s.maxWaitTime = try r.i32("spec.maxwaittime")
        try Rules.seconds(s.maxWaitTime, "spec.maxwaittime")
        s.maxRetries = try r.i32("spec.maxretries")
        guard s.maxRetries >= -1 && s.maxRetries <= Limits.maxRetries else {
            throw WireError(.invalidValue, "spec.maxretries")
        }
        return s
    }
}
