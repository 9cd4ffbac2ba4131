import Wire

/// Turns spec files (colony.json, runtime.json, process_spec.json) into the protocol's
/// types, checking every field by name before anything is sent: unknown fields, wrong
/// types, numbers out of range, and then the protocol's own rules for text (by encoding
/// the value and decoding it back, so the rules cannot drift from the Wire module's).
enum SpecMapping {
    /// Colony spec fields: `name` (required).
    static func colony(_ spec: SpecObject, id: ID) throws(SpecError) -> Colony {
        try spec.requireOnly(["name"])
        let colony = Colony(id: id, name: Text(try spec.require("name", spec.string("name"))))
        try validate(colony, in: spec)
        return colony
    }

    /// Runtime spec fields: `name`, `runtimetype` (required), `cpu`, `gpu` (text), `cores`,
    /// `mem` (MiB), `gpus` (counts, default 0).
    static func runtime(_ spec: SpecObject, id: ID, colony: ID) throws(SpecError) -> Runtime {
        try spec.requireOnly(["name", "runtimetype", "cpu", "cores", "mem", "gpu", "gpus"])
        let runtime = Runtime(
            id: id, colonyId: colony,
            name: Text(try spec.require("name", spec.string("name"))),
            type: Text(try spec.require("runtimetype", spec.string("runtimetype"))),
            cpu: Text(try spec.string("cpu") ?? ""), cores: try count32(spec, "cores"),
            mem: try count64(spec, "mem"), gpu: Text(try spec.string("gpu") ?? ""),
            gpus: try count32(spec, "gpus"))
        try validate(runtime, in: spec)
        return runtime
    }

    /// Process spec fields: `func` (required), `args`, `env`, `priority`, `timeout`,
    /// `maxwaittime`, `maxretries` and `conditions` (`colonyid`, `runtimeids`,
    /// `runtimetype`, `mem`, `cores`, `gpus`). An empty or absent `conditions.colonyid`
    /// means `colony`; when that is nil too, the spec is refused.
    static func processSpec(_ spec: SpecObject, colony: ID?) throws(SpecError) -> ProcessSpec {
        try spec.requireOnly([
            "conditions", "func", "args", "env", "priority", "timeout", "maxwaittime",
            "maxretries",
        ])
        let conditionsObject = try spec.object("conditions")
            ?? SpecObject(file: spec.file, path: "conditions", fields: [:])
        let conditions = try self.conditions(conditionsObject, colony: colony)
        let env = (try spec.stringMap("env") ?? [:]).sorted { $0.key < $1.key }.map {
            EnvVar(key: Text($0.key), value: Text($0.value))
        }
        let args = (try spec.strings("args") ?? []).map { Text($0) }
        let process = ProcessSpec(
            conditions: conditions,
            function: Text(try spec.require("func", spec.string("func"))), args: args, env: env,
            priority: Int32(try number(spec, "priority", default: 0, priorities)),
            timeout: try seconds(spec, "timeout"), maxWaitTime: try seconds(spec, "maxwaittime"),
            maxRetries: Int32(try number(spec, "maxretries", default: 0, retries)))

        do {
            _ = try ProcessSpec.decode(exactly: process.encoded)
        } catch {
            // The decoder names the list, not the element: find the element by trying
            // each alone.
            if let found = element(args: args, env: env, error.field.description) {
                throw .outOfRange(file: spec.file, field: found.field, reason: found.rule)
            }
            throw refusal(error, spec: spec)
        }
        return process
    }

    private static let priorities =
        Int(Limits.priorities.lowerBound)...Int(Limits.priorities.upperBound)
    private static let retries = -1...Int(Limits.maxRetries)

    private static func conditions(_ spec: SpecObject, colony: ID?) throws(SpecError)
        -> Conditions
    {
        try spec.requireOnly(["colonyid", "runtimeids", "runtimetype", "mem", "cores", "gpus"])
        let colonyText = try spec.string("colonyid") ?? ""
        let colonyId: ID
        if !colonyText.isEmpty {
            colonyId = try id(colonyText, spec, "colonyid")
        } else if let colony {
            colonyId = colony
        } else {
            throw .outOfRange(
                file: spec.file, field: spec.name("colonyid"),
                reason: "is empty and no colony is given: set it, or set --colonyid "
                    + "or COLONIES_COLONY_ID")
        }

        var runtimeIds: [ID] = []
        for (index, text) in (try spec.strings("runtimeids") ?? []).enumerated() {
            runtimeIds.append(try id(text, spec, "runtimeids[\(index)]"))
        }
        return Conditions(
            colonyId: colonyId, runtimeIds: runtimeIds,
            runtimeType: Text(try spec.string("runtimetype") ?? ""),
            mem: try count64(spec, "mem"), cores: try count32(spec, "cores"),
            gpus: try count32(spec, "gpus"))
    }

    // MARK: Numbers and ids

    private static func id(_ text: String, _ spec: SpecObject, _ field: String)
        throws(SpecError) -> ID
    {
        guard let id = ID(hex: text) else {
            throw .wrongType(
                file: spec.file, field: spec.name(field), expected: "an id of 64 hex digits")
        }
        return id
    }

    private static func count32(_ spec: SpecObject, _ field: String) throws(SpecError)
        -> UInt32
    {
        UInt32(try number(spec, field, default: 0, 0...Int(UInt32.max)))
    }

    private static func count64(_ spec: SpecObject, _ field: String) throws(SpecError)
        -> UInt64
    {
        UInt64(try number(spec, field, default: 0, 0...Int.max))
    }

    private static func number(
        _ spec: SpecObject, _ field: String, default value: Int, _ range: ClosedRange<Int>
    ) throws(SpecError) -> Int {
        guard let number = try spec.int(field) else { return value }
        try spec.check(field, number, in: range)
        return number
    }

    /// A time limit: -1 for none (the default), or 1 second to one year.
    private static func seconds(_ spec: SpecObject, _ field: String) throws(SpecError)
        -> Int32
    {
        guard let number = try spec.int(field) else { return -1 }
        guard number == -1 || (1...Int(Limits.maxSeconds)).contains(number) else {
            throw .outOfRange(
                file: spec.file, field: spec.name(field),
                reason: "must be -1 (no limit) or 1...\(Limits.maxSeconds) seconds, "
                    + "got \(number)")
        }
        return Int32(number)
    }

    // MARK: The protocol's rules

    private static func validate<T: WireCodable>(_ value: T, in spec: SpecObject)
        throws(SpecError)
    {
        do {
            _ = try T.decode(exactly: value.encoded)
        } catch {
            throw refusal(error, spec: spec)
        }
    }

    /// The spec error for a value the Wire decoder refused, named by the field of the file.
    private static func refusal(_ error: WireError, spec: SpecObject) -> SpecError {
        // Wire names fields "colony.name", "runtime.cpu", "spec.conditions.runtimetype": the
        // file's names without the first part.
        let wireField = error.field.description
        let field = wireField.split(separator: ".").dropFirst().joined(separator: ".")
        let reason = rule(for: field) ?? "is refused by the protocol (\(error))"
        return .outOfRange(file: spec.file, field: field, reason: reason)
    }

    private static func rule(for field: String) -> String? {
        let name = "1 to \(Limits.maxName) characters of A-Z a-z 0-9 . _ -"
        switch field {
        case "name", "runtimetype": return "must be \(name)"
        case "conditions.runtimetype": return "must be empty or \(name)"
        case "cpu", "gpu":
            return "must be at most \(Limits.maxDescription) bytes without control characters"
        case "func": return "must be 1 to \(Limits.maxFunc) bytes without control characters"
        case "conditions.runtimeids": return "may hold at most \(Limits.maxRuntimeIDs) ids"
        default: return nil
        }
    }

    /// Which argument or variable broke a rule: each is tried alone in an otherwise empty
    /// spec; when each passes alone, it is their number that is too large.
    private static func element(args: [Text], env: [EnvVar], _ wireField: String)
        -> (field: String, rule: String)?
    {
        let blank = Conditions(colonyId: .zero)
        if wireField == "spec.args" {
            for (index, arg) in args.enumerated()
            where !passes(ProcessSpec(conditions: blank, function: "f", args: [arg])) {
                return ("args[\(index)]", "must be at most \(Limits.maxArg) bytes without NUL")
            }
            return ("args", "may hold at most \(Limits.maxArgs) arguments, got "
                + "\(args.count)")
        }
        guard wireField.hasPrefix("spec.env") else { return nil }
        for variable in env
        where !passes(ProcessSpec(conditions: blank, function: "f", env: [variable])) {
            let name = variable.key.string
            guard passes(ProcessSpec(
                conditions: blank, function: "f", env: [EnvVar(key: "A", value: variable.value)]))
            else {
                return ("env.\(name)", "must be at most \(Limits.maxEnvValue) bytes without NUL")
            }
            return ("env.\(name)", "is not a variable name: 1 to \(Limits.maxEnvKey) "
                + "characters of A-Z a-z 0-9 _, not starting with a digit")
        }
        return ("env", "may hold at most \(Limits.maxEnv) variables, got \(env.count)")
    }

    private static func passes(_ spec: ProcessSpec) -> Bool {
        (try? ProcessSpec.decode(exactly: spec.encoded)) != nil
    }
}
