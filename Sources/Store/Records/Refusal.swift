import Wire

/// Why a mutation declined to change anything: a rule of the protocol, not a failure of the
/// store. Mutations return it as a value (`Result<T, Refusal>`), having checked everything
/// before writing, so a refused mutation leaves the store as it found it. `code` is the
/// error code of the reply; `message` is for the person reading it.
public struct Refusal: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    static func notFound(_ what: String, _ id: ID) -> Refusal {
        Refusal(.notFound, "\(what) \(id.hex) not found")
    }

    static func alreadyExists(_ what: String, _ id: ID) -> Refusal {
        Refusal(.alreadyExists, "\(what) \(id.hex) already exists")
    }
}
