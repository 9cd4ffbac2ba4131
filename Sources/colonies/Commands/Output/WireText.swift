import Wire

/// The text form of the protocol's objects, for people: one object as labelled lines, a
/// list as a table. Ids are printed in full so that they can be copied.
enum WireText {
    static func colonies(_ colonies: [Colony]) -> [String] {
        var table = Table(["ID", "NAME"])
        for colony in colonies { table.append([colony.id.hex, colony.name.string]) }
        return table.lines()
    }

    static func colony(_ colony: Colony) -> [String] {
        var fields = FieldList()
        fields.add("ID", colony.id.hex)
        fields.add("Name", colony.name.string)
        return fields.lines()
    }

    static func runtimes(_ runtimes: [Runtime]) -> [String] {
        var table = Table(
            ["ID", "NAME", "TYPE", "CORES", "MEM", "GPUS", "STATE"],
            alignments: [.left, .left, .left, .right, .right, .right, .left])
        for r in runtimes {
            table.append([
                r.id.hex, r.name.string, r.type.string, "\(r.cores)", "\(r.mem) MiB",
                "\(r.gpus)", r.state.name,
            ])
        }
        return table.lines()
    }

    static func runtime(_ runtime: Runtime) -> [String] {
        var fields = FieldList()
        fields.add("ID", runtime.id.hex)
        fields.add("Colony", runtime.colonyId.hex)
        fields.add("Name", runtime.name.string)
        fields.add("Type", runtime.type.string)
        fields.add("State", runtime.state.name)
        fields.add("CPU", described(runtime.cpu))
        fields.add("Cores", "\(runtime.cores)")
        fields.add("Memory", "\(runtime.mem) MiB")
        fields.add("GPU", described(runtime.gpu))
        fields.add("GPUs", "\(runtime.gpus)")
        fields.add("Registered", Timestamp.text(runtime.registeredAt))
        return fields.lines()
    }

    static func process(_ process: Process, attributes: [Attribute]) -> [String] {
        let spec = process.spec
        var fields = FieldList()
        fields.add("ID", process.id.hex)
        fields.add("State", process.state.name)
        fields.add("Colony", process.colonyId.hex)
        fields.add("Func", TextFormat.escaped(spec.function.string))
        fields.add("Args", TextFormat.escaped(TextFormat.arguments(spec.args.map(\.string))))
        let env = spec.env.map { $0.key.string + "=" + TextFormat.quoted($0.value.string) }
        fields.add("Env", TextFormat.escaped(env.joined(separator: " ")))
        fields.add("Priority", "\(spec.priority)")
        fields.add("Timeout", TextFormat.seconds(spec.timeout))
        fields.add("Max wait time", TextFormat.seconds(spec.maxWaitTime))
        fields.add("Max retries", spec.maxRetries < 0 ? "no limit" : "\(spec.maxRetries)")
        fields.add("Conditions", conditions(spec.conditions))
        fields.add("Runtime", process.assignedRuntime?.hex ?? "-")
        fields.add("Attempt", "\(process.attempt)")
        fields.add("Retries", "\(process.retries)")
        fields.add("Submitted", Timestamp.text(process.submittedAt))
        fields.add("Started", Timestamp.text(process.startedAt))
        fields.add("Ended", Timestamp.text(process.endedAt))
        fields.add("Deadline", Timestamp.text(process.deadline))
        fields.add("Wait deadline", Timestamp.text(process.waitDeadline))
        fields.add("Attributes", attributes.isEmpty ? "none" : "")

        guard !attributes.isEmpty else { return fields.lines() }
        var table = Table(["ID", "TYPE", "KEY", "VALUE", "ATTEMPT"])
        for a in attributes {
            table.append([
                a.id.hex, a.type.name, a.key.string, TextFormat.cell(a.value.string),
                "\(a.attempt)",
            ])
        }
        return fields.lines() + table.lines().map { "  " + $0 }
    }

    /// The processes of one state, with the columns that matter in that state.
    static func processes(_ processes: [Process], state: ProcessState) -> [String] {
        var headers = ["ID", "FUNC", "ARGS", "PRIORITY", "SUBMITTED", "STATE"]
        switch state {
        case .waiting: headers += ["RETRIES"]
        case .running: headers += ["STARTED", "ATTEMPT"]
        case .successful, .failed: headers += ["ENDED", "ATTEMPT"]
        }
        var alignments = headers.map { _ in Table.Alignment.left }
        alignments[3] = .right
        alignments[alignments.count - 1] = .right

        var table = Table(headers, alignments: alignments)
        for p in processes {
            var row = [
                p.id.hex, TextFormat.cell(p.spec.function.string, limit: 24),
                TextFormat.cell(TextFormat.arguments(p.spec.args.map(\.string))),
                "\(p.spec.priority)", Timestamp.text(p.submittedAt), p.state.name,
            ]
            switch state {
            case .waiting: row += ["\(p.retries)"]
            case .running: row += [Timestamp.text(p.startedAt), "\(p.attempt)"]
            case .successful, .failed: row += [Timestamp.text(p.endedAt), "\(p.attempt)"]
            }
            table.append(row)
        }
        return table.lines()
    }

    static func attribute(_ attribute: Attribute) -> [String] {
        var fields = FieldList()
        fields.add("ID", attribute.id.hex)
        fields.add("Process", attribute.processId.hex)
        fields.add("Attempt", "\(attribute.attempt)")
        fields.add("Type", attribute.type.name)
        fields.add("Key", attribute.key.string)
        fields.add("Added", Timestamp.text(attribute.addedAt))
        // The value goes last and whole: it may run over many lines.
        fields.add("Value", "")
        return fields.lines() + attribute.value.string.split(
            separator: "\n", omittingEmptySubsequences: false
        ).map { "  " + $0 }
    }

    static func statistics(_ statistics: Statistics) -> [String] {
        var fields = FieldList()
        fields.add("Colony", statistics.colonyId.hex)
        fields.add(
            "Runtimes", "\(statistics.runtimes) (\(statistics.approvedRuntimes) approved)")

        var table = Table(["STATE", "COUNT", "OLDEST"], alignments: [.left, .right, .left])
        let states: [(ProcessState, StateCount)] = [
            (.waiting, statistics.waiting), (.running, statistics.running),
            (.successful, statistics.successful), (.failed, statistics.failed),
        ]
        for (state, count) in states {
            table.append([state.name, "\(count.count)", Timestamp.text(count.oldestAt)])
        }
        return fields.lines() + [""] + table.lines()
    }

    private static func conditions(_ c: Conditions) -> String {
        var parts: [String] = []
        parts.append(c.runtimeType.isEmpty ? "any type" : "type " + c.runtimeType.string)
        if c.mem > 0 { parts.append("mem >= \(c.mem) MiB") }
        if c.cores > 0 { parts.append("cores >= \(c.cores)") }
        if c.gpus > 0 { parts.append("gpus >= \(c.gpus)") }
        if !c.runtimeIds.isEmpty {
            parts.append("runtimes " + c.runtimeIds.map(\.hex).joined(separator: ","))
        }
        return parts.joined(separator: ", ")
    }

    private static func described(_ text: Text) -> String {
        text.isEmpty ? "-" : text.string
    }
}
