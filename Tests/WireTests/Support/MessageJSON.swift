import Wire

/// The decoded fields of messages as JSON, in wire order: ids as lower-case hex, texts as
/// strings, enums by name, lists as arrays, integers as exact decimal numbers.
enum MessageJSON {
    static func id(_ id: ID) -> JSON { .string(id.hex) }
    static func text(_ t: Text) -> JSON { .string(t.string) }

    static func colony(_ c: Colony) -> JSON {
        .object([("id", id(c.id)), ("name", text(c.name))])
    }

    static func runtime(_ r: Runtime) -> JSON {
        .object([
            ("id", id(r.id)), ("colonyid", id(r.colonyId)), ("name", text(r.name)),
            ("runtimetype", text(r.type)), ("cpu", text(r.cpu)), ("cores", .int(r.cores)),
            ("mem", .int(r.mem)), ("gpu", text(r.gpu)), ("gpus", .int(r.gpus)),
            ("state", .string(r.state.name)), ("registeredat", .int(r.registeredAt)),
        ])
    }

    static func conditions(_ c: Conditions) -> JSON {
        .object([
            ("colonyid", id(c.colonyId)), ("runtimeids", .array(c.runtimeIds.map(id))),
            ("runtimetype", text(c.runtimeType)), ("mem", .int(c.mem)),
            ("cores", .int(c.cores)), ("gpus", .int(c.gpus)),
        ])
    }

    static func spec(_ s: ProcessSpec) -> JSON {
        .object([
            ("conditions", conditions(s.conditions)), ("func", text(s.function)),
            ("args", .array(s.args.map(text))),
            (
                "env",
                .array(s.env.map { .object([("key", text($0.key)), ("value", text($0.value))]) })
            ),
            ("priority", .int(s.priority)), ("timeout", .int(s.timeout)),
            ("maxwaittime", .int(s.maxWaitTime)), ("maxretries", .int(s.maxRetries)),
        ])
    }

    static func process(_ p: Process) -> JSON {
        .object([
            ("id", id(p.id)), ("state", .string(p.state.name)),
            ("assignedruntime", p.assignedRuntime.map(id) ?? .null),
            ("attempt", .int(p.attempt)), ("retries", .int(p.retries)),
            ("submittedat", .int(p.submittedAt)), ("startedat", .int(p.startedAt)),
            ("endedat", .int(p.endedAt)), ("deadline", .int(p.deadline)),
            ("waitdeadline", .int(p.waitDeadline)), ("spec", spec(p.spec)),
        ])
    }

    static func attribute(_ a: Attribute) -> JSON {
        .object([
            ("id", id(a.id)), ("processid", id(a.processId)), ("attempt", .int(a.attempt)),
            ("type", .string(a.type.name)), ("key", text(a.key)), ("value", text(a.value)),
            ("addedat", .int(a.addedAt)),
        ])
    }

    static func newAttribute(_ a: NewAttribute) -> JSON {
        .object([
            ("processid", id(a.processId)), ("attempt", .int(a.attempt)),
            ("type", .string(a.type.name)), ("key", text(a.key)), ("value", text(a.value)),
        ])
    }

    static func stateCount(_ s: StateCount) -> JSON {
        .object([("count", .int(s.count)), ("oldestat", .int(s.oldestAt))])
    }

    static func statistics(_ s: Statistics) -> JSON {
        .object([
            ("colonyid", id(s.colonyId)), ("runtimes", .int(s.runtimes)),
            ("approvedruntimes", .int(s.approvedRuntimes)),
            ("waiting", stateCount(s.waiting)), ("running", stateCount(s.running)),
            ("successful", stateCount(s.successful)), ("failed", stateCount(s.failed)),
        ])
    }

    static func hello(_ h: Hello) -> JSON {
        .object([
            ("minversion", .int(h.minVersion)), ("maxversion", .int(h.maxVersion)),
            ("challenge", id(h.challenge)), ("serverid", id(h.serverId)),
        ])
    }

    static func pong(_ p: Pong) -> JSON {
        .object([
            ("protocolversion", .int(p.protocolVersion)),
            ("serverversion", text(p.serverVersion)), ("serverid", id(p.serverId)),
        ])
    }

    static func error(_ e: ErrorBody) -> JSON {
        .object([
            ("code", .int(e.code.rawValue)), ("code_name", .string(e.code.name)),
            ("message", text(e.message)),
        ])
    }

    /// The fields of a request's body.
    static func request(_ r: Request) -> JSON {
        switch r {
        case .ping, .listColonies: .object([])
        case .addColony(let c): colony(c)
        case .addRuntime(let rt): runtime(rt)
        case .submitProcess(let s): spec(s)
        case .addAttribute(let a): newAttribute(a)
        case .getColony(let c), .removeColony(let c), .listRuntimes(let c),
            .colonyStatistics(let c):
            .object([("colonyid", id(c))])
        case .getRuntime(let rt), .approveRuntime(let rt), .rejectRuntime(let rt),
            .removeRuntime(let rt):
            .object([("runtimeid", id(rt))])
        case .getProcess(let p), .removeProcess(let p), .subscribeProcess(let p):
            .object([("processid", id(p))])
        case .getAttribute(let a): .object([("attributeid", id(a))])
        case .listProcesses(let c, let state, let count):
            .object([("colonyid", id(c)), ("state", .string(state.name)), ("count", .int(count))])
        case .assignProcess(let c, let wait):
            .object([("colonyid", id(c)), ("waitseconds", .int(wait))])
        case .closeSuccessful(let p, let attempt), .closeFailed(let p, let attempt):
            .object([("processid", id(p)), ("attempt", .int(attempt))])
        case .subscribeColony(let c, let state):
            .object([("colonyid", id(c)), ("state", .string(state.name))])
        }
    }

    /// The name of a reply's case and its fields.
    static func reply(_ r: Reply) -> (name: String, fields: JSON) {
        switch r {
        case .pong(let p): ("pong", pong(p))
        case .colony(let c): ("colony", colony(c))
        case .colonies(let l): ("colonies", .object([("colonies", .array(l.map(colony)))]))
        case .runtime(let rt): ("runtime", runtime(rt))
        case .runtimes(let l): ("runtimes", .object([("runtimes", .array(l.map(runtime)))]))
        case .process(let p): ("process", process(p))
        case .processDetails(let p, let attributes):
            (
                "processDetails",
                .object([
                    ("process", process(p)), ("attributes", .array(attributes.map(attribute))),
                ])
            )
        case .processes(let l, let truncated):
            (
                "processes",
                .object([
                    ("processes", .array(l.map(process))), ("truncated", .bool(truncated)),
                ])
            )
        case .assignment(let p):
            (
                "assignment",
                .object(
                    [("assigned", .bool(p != nil))] + (p.map { [("process", process($0))] } ?? []))
            )
        case .attribute(let a): ("attribute", attribute(a))
        case .statistics(let s): ("statistics", statistics(s))
        case .done: ("done", .object([]))
        }
    }
}

extension MessageType {
    /// The case name, as the vectors and the specification spell it.
    var name: String { String(describing: self) }
}
