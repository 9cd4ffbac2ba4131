import Foundation
import Store

// store-bench            prints the store's throughput (see Benchmarks.swift)
// store-bench crash-writer DIR
//                        writes processes into DIR in group commits until killed, printing
//                        "ack <process id>" once each is durable (see CrashWriter.swift)
let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case nil, "bench":
        try Benchmarks.runAll()
    case "crash-writer" where arguments.count == 2:
        try CrashWriter(path: arguments[arguments.startIndex + 1]).run()
    default:
        FileHandle.standardError.write(Data("usage: store-bench [bench | crash-writer DIR]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
