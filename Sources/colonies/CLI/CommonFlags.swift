/// Flags that many commands share, declared once so that their names, environment
/// variables and defaults agree everywhere (and with the Go Colonies CLI).
enum CommonFlags {
    static let host = Flag.string(
        "host", "The server's host name or address.", valueName: "HOST",
        env: "COLONIES_SERVER_HOST", default: "127.0.0.1")

    static let port = Flag.int(
        "port", "The server's TCP port.", valueName: "PORT", range: 1...65535,
        env: "COLONIES_SERVER_PORT", default: 50080)

    static let json = Flag.bool("json", "Print JSON (sorted keys) instead of text.")

    static let serverPrvKey = Flag.string(
        "serverprvkey", "The server owner's private key.", valueName: "HEX",
        env: "COLONIES_SERVER_PRVKEY")

    static let colonyID = Flag.string(
        "colonyid", "The colony's id.", valueName: "ID", env: "COLONIES_COLONY_ID")

    static let colonyPrvKey = Flag.string(
        "colonyprvkey", "The colony's private key.", valueName: "HEX",
        env: "COLONIES_COLONY_PRVKEY")

    static let runtimeID = Flag.string(
        "runtimeid", "The runtime's id.", valueName: "ID", env: "COLONIES_RUNTIME_ID")

    static let runtimePrvKey = Flag.string(
        "runtimeprvkey", "The runtime's private key.", valueName: "HEX",
        env: "COLONIES_RUNTIME_PRVKEY")

    /// Where the server is.
    static let server = [host, port]
    /// What a command acting as the server owner needs.
    static let serverOwner = [serverPrvKey]
    /// What a command acting for a colony needs.
    static let colony = [colonyID, colonyPrvKey]
    /// What a command acting as a runtime needs (a runtime always belongs to a colony).
    static let runtime = [colonyID, runtimeID, runtimePrvKey]
}
