extension CommandGroup {
    static var attribute: CommandGroup {
        CommandGroup("attribute", "Add and get process attributes (approved runtime).", commands: [])
    }
}
