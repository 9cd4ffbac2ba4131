/// Why bytes could not be decoded. Every case maps to one stable `ErrorCode`; `field` names
/// the place in the message, for error frames that tell a client what it got wrong.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let field: StaticString

    public init(_ code: ErrorCode, _ field: StaticString = "") {
        self.code = code
        self.field = field
    }

    public static func == (a: WireError, b: WireError) -> Bool {
        a.code == b.code && a.field.description == b.field.description
    }

    public var description: String {
        let place = field.description
        return place.isEmpty ? code.name : "\(code.name) at \(place)"
    }
}
