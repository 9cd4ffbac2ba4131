import Wire

/// What running a process's program came to.
enum ExecutionOutcome {
    /// It ended on its own, or could not be started: report it and close the process.
    case finished(ProcessReport)
    /// The worker killed it for running past its timeout. It is left to the server, which
    /// takes it back when its deadline passes.
    case timedOut
    /// The worker killed it because it was told to stop at once; also left to the server.
    case killed
}

/// What the worker tells the server about a process it ran.
struct ProcessReport: Equatable {
    var successful: Bool
    /// The exit status, "signal N", 127 (not found) or 126 (could not be started).
    var exitcode: String
    /// Standard output as attribute text (see `OutputCapture.attributeText`).
    var output: String
    /// Standard error, or the worker's own message when the program did not start.
    var errorOutput: String

    /// The attributes to add, in order: out, err (only when not empty), exitcode.
    var attributes: [(type: AttributeType, key: String, value: String)] {
        var list: [(type: AttributeType, key: String, value: String)] = [(.output, "out", output)]
        if !errorOutput.isEmpty { list.append((.error, "err", errorOutput)) }
        list.append((.output, "exitcode", exitcode))
        return list
    }
}

/// Runs the program a process names, with no shell, and says what to report.
struct ProcessExecution {
    /// The worker's environment, which the program inherits under the process's variables.
    var environment: [String: String]
    var killGrace: Duration
    var shouldKill: () -> Bool

    /// Variables the worker holds for itself: secrets a program it runs has no need of.
    static let privateVariables: Set<String> = [
        "COLONIES_SERVER_PRVKEY", "COLONIES_COLONY_PRVKEY", "COLONIES_RUNTIME_PRVKEY",
        "COLONIES_PRVKEY", "COLONIES_PASSPHRASE",
    ]

    func run(_ spec: ProcessSpec) -> ExecutionOutcome {
        let name = spec.function.string
        guard let path = ExecutableLookup.find(name, searchPath: environment["PATH"]) else {
            return .finished(Self.notStarted(
                "colonies worker: executable not found: \(name) (searched PATH="
                    + "\(environment["PATH"] ?? ExecutableLookup.defaultSearchPath))",
                exitcode: 127))
        }

        let child = ChildRun(
            timeout: spec.timeout > 0 ? .seconds(Int(spec.timeout)) : nil, killGrace: killGrace,
            shouldKill: shouldKill)
        let result: ChildResult
        do throws(SpawnError) {
            result = try child.run(
                path: path, name: name, arguments: spec.args.map(\.string),
                environment: childEnvironment(spec.env))
        } catch {
            return .finished(Self.notStarted(
                "colonies worker: cannot run \(path): \(error.reason) (\(error.call))",
                exitcode: 126))
        }

        switch result.killed {
        case .timeout?: return .timedOut
        case .request?: return .killed
        case nil: break
        }
        return .finished(
            ProcessReport(
                successful: result.termination == .exited(0),
                exitcode: result.termination.description, output: result.stdout.attributeText,
                errorOutput: result.stderr.attributeText))
    }

    /// "KEY=value" entries: the worker's environment without its secrets, then the
    /// process's variables, which win.
    func childEnvironment(_ variables: WireList<EnvVar>) -> [String] {
        var merged = environment.filter { !Self.privateVariables.contains($0.key) }
        for variable in variables { merged[variable.key.string] = variable.value.string }
        return merged.map { $0.key + "=" + $0.value }.sorted()
    }

    private static func notStarted(_ message: String, exitcode: Int) -> ProcessReport {
        ProcessReport(
            successful: false, exitcode: "\(exitcode)", output: "",
            errorOutput: AttributeText.make(Array(message.utf8)[...], total: message.utf8.count,
                                            limit: OutputCapture().limit))
    }
}
