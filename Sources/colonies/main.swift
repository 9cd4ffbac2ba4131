import CLICore
import Foundation

let code = Runner.run(
    Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
    console: StandardConsole())
exit(code.rawValue)
