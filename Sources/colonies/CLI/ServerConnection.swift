import CLICore
import Client
import Wire

extension Invocation {
    /// A client connected to the server named by `--host`/`--port` (or their environment
    /// variables); the command must declare `CommonFlags.server`.
    func connect(readTimeout: Int32 = 30_000) throws(CommandError) -> ColoniesClient {
        let host = flags.string(CommonFlags.host.name)
        let port = UInt16(flags.int(CommonFlags.port.name))
        do {
            return try ColoniesClient(host: host, port: port, readTimeout: readTimeout)
        } catch {
            throw .failed(
                "\(error)\nIs the server running? Start one with `colonies server start`, "
                    + "or point --host/--port (COLONIES_SERVER_HOST/PORT) at it.")
        }
    }
}

extension CommandError {
    /// A failed call, phrased for the user, with a hint for the refusals users meet most.
    static func call(_ error: ClientError, _ what: String) -> CommandError {
        var text = "\(what): \(error)"
        if case .refused(let code, _) = error {
            switch code {
            case .unknownIdentity:
                text += "\nThe key you signed with is not registered on this server."
            case .notServerOwner:
                text += "\nUse the server owner's key (--serverprvkey or COLONIES_SERVER_PRVKEY)."
            case .notColonyOwner:
                text += "\nUse the colony's key (--colonyprvkey or COLONIES_COLONY_PRVKEY)."
            case .runtimeNotApproved:
                text += "\nThe colony's owner must approve this runtime first: "
                    + "`colonies runtime approve --runtimeid ID`."
            default:
                break
            }
        }
        return .failed(text)
    }
}
