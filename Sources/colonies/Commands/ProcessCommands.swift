extension CommandGroup {
    static var process: CommandGroup {
        CommandGroup("process", "Submit, list, assign and close processes (approved runtime).", commands: [])
    }
}
