import Foundation
import Wire

/// The `--json` form of the protocol's objects. Field names are the protocol's lower-case
/// names (spec/PROTOCOL.md, section 10), a spec is in the shape of a spec file, ids are
/// full hex, times are ISO-8601 strings with nanoseconds (null when not set) and enums are
/// their names.
enum WireJSON {
    static func colony(_ colony: Colony) -> [String: Any] {
        ["colonyid": colony.id.hex, "name": colony.name.string]
    }

    static func runtime(_ runtime: Runtime) -> [String: Any] {
        [
            "runtimeid": runtime.id.hex, "colonyid": runtime.colonyId.hex,
            "name": runtime.name.string, "runtimetype": runtime.type.string,
            "cpu": runtime.cpu.string, "cores": NSNumber(value: runtime.cores),
            "mem": NSNumber(value: runtime.mem), "gpu": runtime.gpu.string,
            "gpus": NSNumber(value: runtime.gpus), "state": runtime.state.name,
            "registeredat": time(runtime.registeredAt),
        ]
    }

    /// A process; with `attributes`, those too (as `process get` shows them).
    static func process(_ process: Wire.Process, attributes: [Attribute]? = nil) -> [String: Any] {
        var object: [String: Any] = [
            "processid": process.id.hex, "state": process.state.name,
            "assignedruntimeid": process.assignedRuntime.map { $0.hex as Any } ?? NSNull(),
            "attempt": NSNumber(value: process.attempt),
            "retries": NSNumber(value: process.retries),
            "submittedat": time(process.submittedAt), "startedat": time(process.startedAt),
            "endedat": time(process.endedAt), "deadline": time(process.deadline),
            "waitdeadline": time(process.waitDeadline), "spec": spec(process.spec),
        ]
        if let attributes { object["attributes"] = attributes.map(attribute) }
        return object
    }

    /// A process spec in the shape `process submit --spec` reads.
    static func spec(_ spec: ProcessSpec) -> [String: Any] {
        let conditions: [String: Any] = [
            "colonyid": spec.conditions.colonyId.hex,
            "runtimeids": spec.conditions.runtimeIds.array.map(\.hex),
            "runtimetype": spec.conditions.runtimeType.string,
            "mem": NSNumber(value: spec.conditions.mem),
            "cores": NSNumber(value: spec.conditions.cores),
            "gpus": NSNumber(value: spec.conditions.gpus),
        ]
        var env: [String: String] = [:]
        for variable in spec.env.array { env[variable.key.string] = variable.value.string }
        return [
            "conditions": conditions, "func": spec.function.string,
            "args": spec.args.array.map(\.string), "env": env,
            "priority": NSNumber(value: spec.priority), "timeout": NSNumber(value: spec.timeout),
            "maxwaittime": NSNumber(value: spec.maxWaitTime),
            "maxretries": NSNumber(value: spec.maxRetries),
        ]
    }

    static func attribute(_ attribute: Attribute) -> [String: Any] {
        [
            "attributeid": attribute.id.hex, "processid": attribute.processId.hex,
            "attempt": NSNumber(value: attribute.attempt), "type": attribute.type.name,
            "key": attribute.key.string, "value": attribute.value.string,
            "addedat": time(attribute.addedAt),
        ]
    }

    static func statistics(_ statistics: Statistics) -> [String: Any] {
        func count(_ state: StateCount) -> [String: Any] {
            ["count": NSNumber(value: state.count), "oldestat": time(state.oldestAt)]
        }
        return [
            "colonyid": statistics.colonyId.hex,
            "runtimes": NSNumber(value: statistics.runtimes),
            "approvedruntimes": NSNumber(value: statistics.approvedRuntimes),
            "waiting": count(statistics.waiting), "running": count(statistics.running),
            "successful": count(statistics.successful), "failed": count(statistics.failed),
        ]
    }

    private static func time(_ nanoseconds: Int64) -> Any {
        Timestamp.precise(nanoseconds) ?? NSNull()
    }
}
