extension CommandGroup {
    static var bench: CommandGroup {
        CommandGroup("bench", "Measure the server's throughput, latency and memory.", commands: [])
    }
}
