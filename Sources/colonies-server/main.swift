import CLICore
import Glibc
import ServerCommand

// `colonies-server`: the server alone, with the flags and environment variables of
// `colonies server start`. It links no Foundation and the Swift runtime statically (see
// Package.swift), so that an idle server holds only the pages it uses.
let code = Runner.run(
    Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current(),
    console: StandardConsole(), command: .serverStart, program: "colonies-server")
exit(code.rawValue)
