import Wire

/// A frame split into labelled fields, for the worked examples in spec/PROTOCOL.md.
///
/// The layout here is written out field by field, separately from the encoders in Wire; the
/// generator checks that the pieces joined give exactly the frame Wire made, so every
/// annotated example is both right and a second statement of the layout.
struct Annotation {
    private(set) var rows: [(bytes: [UInt8], label: String)] = []

    var bytes: [UInt8] { rows.flatMap(\.bytes) }

    mutating func add(_ bytes: [UInt8], _ label: String) { rows.append((bytes, label)) }

    private mutating func put(_ label: String, _ write: (inout WireWriter) -> Void) {
        var w = WireWriter()
        write(&w)
        add(w.bytes, label)
    }

    mutating func u8(_ v: UInt8, _ label: String) { add([v], "\(label) = \(v)") }
    mutating func u16(_ v: UInt16, _ label: String) { put("\(label) = \(v)") { $0.u16(v) } }
    mutating func u32(_ v: UInt32, _ label: String) { put("\(label) = \(v)") { $0.u32(v) } }
    mutating func u64(_ v: UInt64, _ label: String) { put("\(label) = \(v)") { $0.u64(v) } }
    mutating func i32(_ v: Int32, _ label: String) { put("\(label) = \(v)") { $0.i32(v) } }
    mutating func i64(_ v: Int64, _ label: String) { put("\(label) = \(v)") { $0.i64(v) } }
    mutating func bool(_ v: Bool, _ label: String) { add([v ? 1 : 0], "\(label) = \(v)") }
    mutating func id(_ v: ID, _ label: String) { add(v.bytes, label) }

    mutating func count(_ n: Int, _ label: String) {
        put("\(label): count \(n) (varint)") { $0.varint(n) }
    }

    mutating func text(_ t: Text, _ label: String) {
        put("\(label): length \(t.byteCount) (varint)") { $0.varint(t.byteCount) }
        if !t.isEmpty { add(Array(t.utf8), "\(label) = \(quoted(t.string))") }
    }

    /// The text as a JSON string, cut to 40 characters so example lines stay short.
    private func quoted(_ s: String) -> String {
        let short = s.count > 40 ? String(s.prefix(37)) + "..." : s
        return JSON.string(short).rendered().trimmingSuffix("\n")
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

// MARK: - Models

extension Annotation {
    mutating func colony(_ c: Colony, _ p: String) {
        id(c.id, "\(p)id")
        text(c.name, "\(p)name")
    }

    mutating func runtime(_ r: Runtime, _ p: String) {
        id(r.id, "\(p)id")
        id(r.colonyId, "\(p)colonyid")
        text(r.name, "\(p)name")
        text(r.type, "\(p)runtimetype")
        text(r.cpu, "\(p)cpu")
        u32(r.cores, "\(p)cores")
        u64(r.mem, "\(p)mem (MiB)")
        text(r.gpu, "\(p)gpu")
        u32(r.gpus, "\(p)gpus")
        add([r.state.rawValue], "\(p)state = \(r.state.rawValue) (\(r.state.name))")
        i64(r.registeredAt, "\(p)registeredat (ns)")
    }

    mutating func spec(_ s: ProcessSpec, _ p: String) {
        let c = s.conditions
        id(c.colonyId, "\(p)conditions.colonyid")
        count(c.runtimeIds.count, "\(p)conditions.runtimeids")
        for (i, r) in c.runtimeIds.enumerated() { id(r, "\(p)conditions.runtimeids[\(i)]") }
        text(c.runtimeType, "\(p)conditions.runtimetype")
        u64(c.mem, "\(p)conditions.mem (MiB)")
        u32(c.cores, "\(p)conditions.cores")
        u32(c.gpus, "\(p)conditions.gpus")
        text(s.function, "\(p)func")
        count(s.args.count, "\(p)args")
        for (i, a) in s.args.enumerated() { text(a, "\(p)args[\(i)]") }
        count(s.env.count, "\(p)env")
        for (i, v) in s.env.enumerated() {
            text(v.key, "\(p)env[\(i)].key")
            text(v.value, "\(p)env[\(i)].value")
        }
        i32(s.priority, "\(p)priority")
        i32(s.timeout, "\(p)timeout (s)")
        i32(s.maxWaitTime, "\(p)maxwaittime (s)")
        i32(s.maxRetries, "\(p)maxretries")
    }

    mutating func process(_ pr: Process, _ p: String) {
        id(pr.id, "\(p)id")
        add([pr.state.rawValue], "\(p)state = \(pr.state.rawValue) (\(pr.state.name))")
        bool(pr.assignedRuntime != nil, "\(p)assigned")
        if let r = pr.assignedRuntime { id(r, "\(p)assignedruntime") }
        u32(pr.attempt, "\(p)attempt")
        u32(pr.retries, "\(p)retries")
        i64(pr.submittedAt, "\(p)submittedat (ns)")
        i64(pr.startedAt, "\(p)startedat (ns)")
        i64(pr.endedAt, "\(p)endedat (ns)")
        i64(pr.deadline, "\(p)deadline (ns)")
        i64(pr.waitDeadline, "\(p)waitdeadline (ns)")
        spec(pr.spec, "\(p)spec.")
    }

    mutating func attribute(_ a: Attribute, _ p: String) {
        id(a.id, "\(p)id")
        id(a.processId, "\(p)processid")
        u32(a.attempt, "\(p)attempt")
        add([a.type.rawValue], "\(p)type = \(a.type.rawValue) (\(a.type.name))")
        text(a.key, "\(p)key")
        text(a.value, "\(p)value")
        i64(a.addedAt, "\(p)addedat (ns)")
    }

    mutating func statistics(_ s: Statistics) {
        id(s.colonyId, "colonyid")
        u64(s.runtimes, "runtimes")
        u64(s.approvedRuntimes, "approvedruntimes")
        for (name, c) in [
            ("waiting", s.waiting), ("running", s.running), ("successful", s.successful),
            ("failed", s.failed),
        ] {
            u64(c.count, "\(name).count")
            i64(c.oldestAt, "\(name).oldestat (ns)")
        }
    }
}

// MARK: - Bodies

extension Annotation {
    mutating func requestBody(_ r: Request) {
        switch r {
        case .ping, .listColonies: break
        case .addColony(let c): colony(c, "")
        case .addRuntime(let rt): runtime(rt, "")
        case .submitProcess(let s): spec(s, "")
        case .addAttribute(let a):
            id(a.processId, "processid")
            u32(a.attempt, "attempt")
            add([a.type.rawValue], "type = \(a.type.rawValue) (\(a.type.name))")
            text(a.key, "key")
            text(a.value, "value")
        case .getColony(let c), .removeColony(let c), .listRuntimes(let c),
            .colonyStatistics(let c):
            id(c, "colonyid")
        case .getRuntime(let rt), .approveRuntime(let rt), .rejectRuntime(let rt),
            .removeRuntime(let rt):
            id(rt, "runtimeid")
        case .getProcess(let p), .removeProcess(let p), .subscribeProcess(let p):
            id(p, "processid")
        case .getAttribute(let a): id(a, "attributeid")
        case .listProcesses(let c, let state, let n):
            id(c, "colonyid")
            add([state.rawValue], "state = \(state.rawValue) (\(state.name))")
            u16(n, "count")
        case .assignProcess(let c, let wait):
            id(c, "colonyid")
            u16(wait, "waitseconds")
        case .closeSuccessful(let p, let attempt), .closeFailed(let p, let attempt):
            id(p, "processid")
            u32(attempt, "attempt")
        case .subscribeColony(let c, let state):
            id(c, "colonyid")
            add([state.rawValue], "state = \(state.rawValue) (\(state.name))")
        }
    }

    mutating func replyBody(_ r: Reply) {
        switch r {
        case .pong(let p):
            u8(p.protocolVersion, "protocolversion")
            text(p.serverVersion, "serverversion")
            id(p.serverId, "serverid")
        case .colony(let c): colony(c, "")
        case .colonies(let l):
            count(l.count, "colonies")
            for (i, c) in l.enumerated() { colony(c, "colonies[\(i)].") }
        case .runtime(let rt): runtime(rt, "")
        case .runtimes(let l):
            count(l.count, "runtimes")
            for (i, rt) in l.enumerated() { runtime(rt, "runtimes[\(i)].") }
        case .process(let p): process(p, "")
        case .processDetails(let p, let attributes):
            process(p, "process.")
            count(attributes.count, "attributes")
            for (i, a) in attributes.enumerated() { attribute(a, "attributes[\(i)].") }
        case .processes(let l, let truncated):
            count(l.count, "processes")
            for (i, p) in l.enumerated() { process(p, "processes[\(i)].") }
            bool(truncated, "truncated")
        case .assignment(let p):
            bool(p != nil, "assigned")
            if let p { process(p, "process.") }
        case .attribute(let a): attribute(a, "")
        case .statistics(let s): statistics(s)
        case .done: break
        }
    }
}

// MARK: - Frames

extension Annotation {
    /// The header of a frame whose remaining rows are added by `body`.
    static func frame(
        type: UInt8, typeName: String, requestId: UInt32, sequence: UInt64?,
        signature: Signature?, body: (inout Annotation) -> Void
    ) -> Annotation {
        var inner = Annotation()
        inner.add([FrameLayout.version], "version = 1")
        let hexType = "0x" + Hex.encode([type])
        inner.add([type], "type = \(hexType) (\(typeName))")
        let flags: UInt8 = sequence == nil ? 0 : FrameLayout.signedFlag
        inner.add([flags], flags == 0 ? "flags = 0 (unsigned)" : "flags = 1 (signed)")
        inner.u32(requestId, "request id")
        if let sequence { inner.u64(sequence, "sequence") }
        body(&inner)
        if let signature {
            inner.id(signature.r, "signature r")
            inner.id(signature.s, "signature s")
            inner.add([signature.v], "signature v = \(signature.v)")
        }

        var whole = Annotation()
        whole.u32(UInt32(inner.bytes.count), "length (bytes after this field)")
        whole.rows += inner.rows
        return whole
    }

    /// Markdown lines: hex on the left (16 bytes a line at most), the field on the right.
    func rendered() -> [String] {
        var lines: [String] = []
        for (bytes, label) in rows {
            var chunks = stride(from: 0, to: bytes.count, by: 16).map {
                Hex.encode(bytes[$0..<min($0 + 16, bytes.count)])
            }
            if chunks.isEmpty { chunks = [""] }
            for (i, chunk) in chunks.enumerated() {
                let pad = String(repeating: " ", count: 34 - chunk.count)
                lines.append(i == 0 ? chunk + pad + label : chunk)
            }
        }
        return lines
    }
}
