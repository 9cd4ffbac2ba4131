/// Flags that many commands share, declared once so that their names, environment
/// variables and defaults agree everywhere (and with the Go Colonies CLI).
public enum CommonFlags {
    /// The server's address, for commands that talk to one.
    public static let host = Flag.string(
        "host", "The server's host name or address.", valueName: "HOST",
        env: "COLONIES_SERVER_HOST", default: "127.0.0.1")

    /// The server's port, for commands that talk to one.
    public static let port = Flag.int(
        "port", "The server's TCP port.", valueName: "PORT", range: 1...65535,
        env: "COLONIES_SERVER_PORT", default: 50080)

    /// Output as JSON.
    public static let json = Flag.bool("json", "Print JSON (sorted keys) instead of text.")

    /// The server owner's key; its id also names the owner to `server start`.
    public static let serverPrvKey = Flag.string(
        "serverprvkey", "The server owner's private key.", valueName: "HEX",
        env: "COLONIES_SERVER_PRVKEY")

    /// The colony a command acts for.
    public static let colonyID = Flag.string(
        "colonyid", "The colony's id.", valueName: "ID", env: "COLONIES_COLONY_ID")

    /// The colony's key, when not in the keychain.
    public static let colonyPrvKey = Flag.string(
        "colonyprvkey", "The colony's private key.", valueName: "HEX",
        env: "COLONIES_COLONY_PRVKEY")

    /// The runtime a command acts as.
    public static let runtimeID = Flag.string(
        "runtimeid", "The runtime's id.", valueName: "ID", env: "COLONIES_RUNTIME_ID")

    /// The runtime's key, when not in the keychain.
    public static let runtimePrvKey = Flag.string(
        "runtimeprvkey", "The runtime's private key.", valueName: "HEX",
        env: "COLONIES_RUNTIME_PRVKEY")

    /// Where the server is.
    public static let server = [host, port]
    /// What a command acting as the server owner needs.
    public static let serverOwner = [serverPrvKey]
    /// What a command acting for a colony needs.
    public static let colony = [colonyID, colonyPrvKey]
    /// What a command acting as a runtime needs (a runtime always belongs to a colony).
    public static let runtime = [colonyID, runtimeID, runtimePrvKey]
}
