extension Command {
    /// `colonies bench`: a top-level command, not a group.
    static var bench: Command {
        Command("bench", "Measure the server's throughput, latency and memory.") { _ throws(CommandError) in
            throw .failed("not built yet")
        }
    }
}
