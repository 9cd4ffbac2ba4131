extension CommandGroup {
    static var runtime: CommandGroup {
        CommandGroup("runtime", "Register, approve, reject, list and remove runtimes (colony owner).", commands: [])
    }
}
