extension CommandGroup {
    static var worker: CommandGroup {
        CommandGroup("worker", "Run processes as an approved runtime.", commands: [])
    }
}
