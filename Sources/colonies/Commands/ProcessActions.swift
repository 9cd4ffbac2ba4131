import CLICore
import Client
import Foundation
import Wire

/// What the `process` commands do; `ProcessCommands.swift` declares them.
enum ProcessCommands {
    static func submit(_ invocation: Invocation) throws(CommandError) {
        let colony = try invocation.givenColonyID()
        let spec = try invocation.spec { (file) throws(SpecError) in
            try SpecMapping.processSpec(file, colony: colony)
        }
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        let process = try clientCall("submitting the process") { () throws(ClientError) in
            try client.submit(spec, runtimeKey: key)
        }
        try invocation.output(process.id.hex, json: WireJSON.process(process))
    }

    static func get(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("processid")
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        let (process, attributes) = try clientCall("getting process \(id.hex)") {
            () throws(ClientError) in try client.getProcess(id, runtimeKey: key)
        }
        try invocation.output(
            lines: WireText.process(process, attributes: attributes),
            json: WireJSON.process(process, attributes: attributes))
    }

    static func list(_ invocation: Invocation, state: ProcessState) throws(CommandError) {
        let colony = try invocation.colonyID()
        let key = try invocation.key(.runtime)
        let count = UInt16(invocation.flags.int("count"))
        let client = try invocation.connect()

        let (processes, truncated) = try clientCall("listing \(state.name) processes") {
            () throws(ClientError) in
            try client.listProcesses(colony: colony, state: state, count: count, runtimeKey: key)
        }
        if invocation.wantsJSON {
            try invocation.printJSON([
                "processes": processes.map { WireJSON.process($0) }, "truncated": truncated,
            ])
        } else if processes.isEmpty {
            invocation.console.writeError("no \(state.name) processes")
        } else {
            let more = truncated ? ["more..."] : []
            for line in WireText.processes(processes, state: state) + more {
                invocation.console.write(line)
            }
        }
    }

    static func assign(_ invocation: Invocation) throws(CommandError) {
        let colony = try invocation.colonyID()
        let key = try invocation.key(.runtime)
        let wait = UInt16(invocation.flags.int("timeout"))
        let client = try invocation.connect()

        let assigned = try clientCall("asking for a process") { () throws(ClientError) in
            try client.assign(colony: colony, waitSeconds: wait, runtimeKey: key)
        }
        guard let process = assigned else {
            if invocation.wantsJSON { invocation.console.write("null") }
            invocation.console.writeError("no process was assigned")
            return
        }
        try invocation.output(
            "\(process.id.hex) \(process.attempt)", json: WireJSON.process(process))
    }

    /// Closes the current run, under `--attempt` or else the attempt the process is on.
    static func close(_ invocation: Invocation, as state: ProcessState) throws(CommandError) {
        let id = try invocation.id("processid")
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        let attempt = try attempt(of: id, invocation, client, key)
        try clientCall("closing process \(id.hex) as \(state.name)") {
            () throws(ClientError) in
            if state == .successful {
                try client.closeSuccessful(id, attempt: attempt, runtimeKey: key)
            } else {
                try client.closeFailed(id, attempt: attempt, runtimeKey: key)
            }
        }
        invocation.console.writeError("process \(id.hex) is \(state.name)")
    }

    /// `--attempt` when given, else the process's current attempt (one more round trip).
    static func attempt(
        of process: ID, _ invocation: Invocation, _ client: ColoniesClient, _ key: PrivateKey
    ) throws(CommandError) -> UInt32 {
        if let given = invocation.flags.optionalInt("attempt") { return UInt32(given) }
        return try clientCall("getting process \(process.hex) for its attempt") {
            () throws(ClientError) in try client.getProcess(process, runtimeKey: key).process
        }.attempt
    }

    static func remove(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("processid")
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        try clientCall("removing process \(id.hex)") { () throws(ClientError) in
            try client.removeProcess(id, runtimeKey: key)
        }
        invocation.console.writeError("process \(id.hex) removed")
    }

    static func stats(_ invocation: Invocation) throws(CommandError) {
        let key = try runtimeOrColonyKey(invocation)
        let colony = try invocation.colonyID()
        let client = try invocation.connect()

        let statistics = try clientCall("getting the colony's statistics") {
            () throws(ClientError) in try client.statistics(colony: colony, key: key)
        }
        try invocation.output(
            lines: WireText.statistics(statistics), json: WireJSON.statistics(statistics))
    }

    /// The runtime's key when one can be found, else the colony's; when neither can, both
    /// reasons.
    private static func runtimeOrColonyKey(_ invocation: Invocation) throws(CommandError)
        -> PrivateKey
    {
        let runtimeProblem: KeyResolutionError
        do { return try invocation.keys.runtimeKey() } catch { runtimeProblem = error }
        do {
            return try invocation.keys.colonyKey()
        } catch .missingKey(.colony) {
            throw .keys(runtimeProblem)
        } catch {
            throw .failed(
                "no key to sign with:\n  \(runtimeProblem.message)\n  \(error.message)")
        }
    }

    static func watch(_ invocation: Invocation) throws(CommandError) {
        let id = try invocation.id("processid")
        let key = try invocation.key(.runtime)
        let client = try invocation.connect()

        _ = try clientCall("subscribing to process \(id.hex)") { () throws(ClientError) in
            try client.subscribe(process: id, runtimeKey: key)
        }
        // The server may send a change twice (see subscribeProcess); print each once.
        var last: (ProcessState, UInt32)?
        while true {
            let (_, process) = try clientCall("watching process \(id.hex)") {
                () throws(ClientError) in try client.nextEvent(timeout: -1)
            }
            guard process.id == id else { continue }
            if let last, last == (process.state, process.attempt) { continue }
            last = (process.state, process.attempt)

            invocation.console.write(watchLine(process))
            if process.state.isFinal { return }
        }
    }

    /// "TIME STATE ATTEMPT RUNTIME", the time being when the process entered the state
    /// (for a process waiting again after a run, when the event came).
    static func watchLine(_ process: Wire.Process, now: Int64 = currentTime()) -> String {
        let time: Int64
        switch process.state {
        case .waiting: time = process.attempt == 0 ? process.submittedAt : now
        case .running: time = process.startedAt
        case .successful, .failed: time = process.endedAt
        }
        let runtime = process.assignedRuntime?.hex ?? "-"
        return "\(Timestamp.text(time)) \(process.state.name) \(process.attempt) \(runtime)"
    }

    static func currentTime() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }
}
