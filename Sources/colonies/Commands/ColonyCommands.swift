extension CommandGroup {
    static var colony: CommandGroup {
        CommandGroup("colony", "Register, list, get and remove colonies (server owner).", commands: [])
    }
}
