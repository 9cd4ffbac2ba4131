import CLICore
import Wire

/// Whose key a command needs.
enum KeyRole: String, Sendable {
    case server
    case colony
    case runtime

    /// The flag that gives the private key (its environment variable is in `CommonFlags`).
    var keyFlag: Flag {
        switch self {
        case .server: return CommonFlags.serverPrvKey
        case .colony: return CommonFlags.colonyPrvKey
        case .runtime: return CommonFlags.runtimePrvKey
        }
    }

    /// The flag that gives the id, whose key may then be in the keychain.
    var idFlag: Flag? {
        switch self {
        case .server: return nil
        case .colony: return CommonFlags.colonyID
        case .runtime: return CommonFlags.runtimeID
        }
    }
}

/// Finds the keys and ids a command acts with.
///
/// A key comes from its flag (`--colonyprvkey`), else its environment variable
/// (COLONIES_COLONY_PRVKEY), else the keychain entry for the id (`--colonyid` or
/// COLONIES_COLONY_ID), else it is an error that says what to set. An id comes from its
/// flag or variable, else from the key. A command declares the flags it resolves from
/// (see `CommonFlags.colony` and friends); the parser has already applied the environment.
struct KeyResolver {
    let flags: ParsedFlags
    let environment: [String: String]

    func serverKey() throws(KeyResolutionError) -> PrivateKey { try key(.server) }
    func colonyKey() throws(KeyResolutionError) -> PrivateKey { try key(.colony) }
    func runtimeKey() throws(KeyResolutionError) -> PrivateKey { try key(.runtime) }
    func colonyID() throws(KeyResolutionError) -> ID { try id(.colony) }
    func runtimeID() throws(KeyResolutionError) -> ID { try id(.runtime) }

    /// The private key for `role`.
    func key(_ role: KeyRole) throws(KeyResolutionError) -> PrivateKey {
        let keyName = role.keyFlag.name
        precondition(flags.isDeclared(keyName), "the command must declare --\(keyName)")

        if let hex = flags.optionalString(keyName) {
            let key = try parseKey(hex, origin: flags.origin(of: keyName))
            if let id = try givenID(role), id != key.id {
                throw .mismatch(
                    role: role, keyOrigin: flags.origin(of: keyName), keyID: key.id,
                    idOrigin: flags.origin(of: role.idFlag!.name), id: id)
            }
            return key
        }

        guard let id = try givenID(role) else { throw .missingKey(role) }
        do throws(KeychainError) {
            return try Keychain(environment: environment).load(id)
        } catch .notFound(_, let folder) {
            throw .notInKeychain(role: role, id: id, folder: folder)
        } catch {
            throw .keychain(error)
        }
    }

    /// The id for `role` (not the server, which has none of its own here).
    func id(_ role: KeyRole) throws(KeyResolutionError) -> ID {
        if let id = try givenID(role) { return id }
        let keyName = role.keyFlag.name
        if flags.isDeclared(keyName), let hex = flags.optionalString(keyName) {
            return try parseKey(hex, origin: flags.origin(of: keyName)).id
        }
        throw .missingID(role)
    }

    private func givenID(_ role: KeyRole) throws(KeyResolutionError) -> ID? {
        guard let flag = role.idFlag, flags.isDeclared(flag.name),
            let hex = flags.optionalString(flag.name)
        else { return nil }
        guard let id = ID(hex: hex) else {
            throw .invalidID(origin: flags.origin(of: flag.name))
        }
        return id
    }

    private func parseKey(_ hex: String, origin: String) throws(KeyResolutionError) -> PrivateKey {
        do {
            return try PrivateKey(hex: hex)
        } catch {
            throw .invalidKey(origin: origin, error)
        }
    }
}

/// Why a key or id could not be had. Messages say what to set.
enum KeyResolutionError: Error, Equatable, Sendable {
    /// No key flag, variable or id to look up.
    case missingKey(KeyRole)
    /// No id flag or variable, and no key to derive it from.
    case missingID(KeyRole)
    /// The id was given but the keychain has no key for it.
    case notInKeychain(role: KeyRole, id: ID, folder: String)
    /// `origin` is the flag or environment variable that held the text.
    case invalidKey(origin: String, IdentityError)
    case invalidID(origin: String)
    case mismatch(role: KeyRole, keyOrigin: String, keyID: ID, idOrigin: String, id: ID)
    case keychain(KeychainError)

    /// Whether the fix is in the command line or environment (exit 2) rather than in the
    /// keychain's files (exit 1).
    var isUsageError: Bool {
        if case .keychain = self { return false }
        return true
    }

    var message: String {
        switch self {
        case .missingKey(let role):
            var text = "no \(role.rawValue) private key: set " + Self.sources(role.keyFlag)
            if let idFlag = role.idFlag {
                text += ", or set \(Self.sources(idFlag)) to a \(role.rawValue) "
                    + "whose key is in the keychain"
            }
            return text
        case .missingID(let role):
            let idFlag = role.idFlag.map { Self.sources($0) + ", or " } ?? ""
            return "no \(role.rawValue) id: set \(idFlag)\(Self.sources(role.keyFlag))"
        case .notInKeychain(let role, let id, let folder):
            return "no private key for \(role.rawValue) \(id.hex) in keychain \(folder): "
                + "set \(Self.sources(role.keyFlag))"
        case .invalidKey(let origin, .malformedPrivateKey):
            return "\(origin): a private key must be 64 hex digits"
        case .invalidKey(let origin, _):
            return "\(origin): not a valid secp256k1 private key (zero or not below the order)"
        case .invalidID(let origin):
            return "\(origin): an id must be 64 hex digits"
        case .mismatch(let role, let keyOrigin, let keyID, let idOrigin, let id):
            return "\(keyOrigin) is the key of \(keyID.hex), but \(idOrigin) names "
                + "\(role.rawValue) \(id.hex)"
        case .keychain(let error):
            return error.message
        }
    }

    private static func sources(_ flag: Flag) -> String {
        flag.spelling + (flag.environment.map { " or " + $0 } ?? "")
    }
}
