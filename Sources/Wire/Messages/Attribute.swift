/// What an attribute holds: a process's input, output, error output or environment.
public enum AttributeType: UInt8, Sendable, CaseIterable {
    case input = 0
    case output = 1
    case error = 2
    case env = 3

    /// The short name users type: in, out, err, env.
    public var name: String {
        switch self {
        case .input: "in"
        case .output: "out"
        case .error: "err"
        case .env: "env"
        }
    }

    public init?(name: String) {
        guard let t = AttributeType.allCases.first(where: { $0.name == name }) else {
            return nil
        }
        self = t
    }
}

/// A key and value attached to a process by the runtime running it.
///
/// Layout: `id` (32 bytes), `processId` (32 bytes), `attempt` (u32: the assignment it was
/// added under), `type` (u8: 0 in, 1 out, 2 err, 3 env), `key` (name rule, up to 128
/// bytes), `value` (up to 65536 bytes of UTF-8), `addedAt` (i64, ns since the epoch).
///
/// The id is SHA3-256 of the process id, the type byte and the key, so adding the same key
/// again replaces the value.
public struct Attribute: WireCodable, Hashable {
    public var id: ID
    public var processId: ID
    public var attempt: UInt32
    public var type: AttributeType
    public var key: Text
    public var value: Text
    public var addedAt: Int64

    public init(
        id: ID, processId: ID, attempt: UInt32, type: AttributeType, key: Text, value: Text,
        addedAt: Int64
    ) {
        self.id = id
        self.processId = processId
        self.attempt = attempt
        self.type = type
        self.key = key
        self.value = value
        self.addedAt = addedAt
    }

    /// The id an attribute of `processId` with this type and key has.
    public static func id(processId: ID, type: AttributeType, key: Text) -> ID {
        var h = SHA3.Hasher()
        h.update(processId)
        var w = WireWriter()
        w.u8(type.rawValue)
        w.text(key)
        h.update(contiguous: w.bytes)
        return h.finish()
    }

    public func encode(to w: inout WireWriter) {
        w.id(id)
        w.id(processId)
        w.u32(attempt)
        w.u8(type.rawValue)
        w.text(key)
        w.text(value)
        w.i64(addedAt)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Attribute {
        let id = try r.id("attribute.id")
        let processId = try r.id("attribute.processid")
        let attempt = try r.u32("attribute.attempt")
        guard let type = AttributeType(rawValue: try r.u8("attribute.type")) else {
            throw WireError(.badEnum, "attribute.type")
        }
        let key = try r.text(max: Limits.maxAttributeKey, "attribute.key")
        try Rules.name(key, max: Limits.maxAttributeKey, "attribute.key")
        let value = try r.text(max: Limits.maxAttributeValue, "attribute.value")
        let addedAt = try r.i64("attribute.addedat")
        return Attribute(
            id: id, processId: processId, attempt: attempt, type: type, key: key, value: value,
            addedAt: addedAt)
    }
}
