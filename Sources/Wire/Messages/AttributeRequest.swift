/// The body of an add-attribute request.
///
/// Layout: `processId` (32 bytes), `attempt` (u32: the caller's current assignment),
/// `type` (u8), `key` (name rule, up to 128 bytes), `value` (up to 65536 bytes).
public struct NewAttribute: WireCodable, Hashable {
    public var processId: ID
    public var attempt: UInt32
    public var type: AttributeType
    public var key: Text
    public var value: Text

    public init(processId: ID, attempt: UInt32, type: AttributeType, key: Text, value: Text) {
        self.processId = processId
        self.attempt = attempt
        self.type = type
        self.key = key
        self.value = value
    }

    public func encode(to w: inout WireWriter) {
        w.id(processId)
        w.u32(attempt)
        w.u8(type.rawValue)
        w.text(key)
        w.text(value)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> NewAttribute {
        let processId = try r.id("attribute.processid")
        let attempt = try r.u32("attribute.attempt")
        guard let type = AttributeType(rawValue: try r.u8("attribute.type")) else {
            throw WireError(.badEnum, "attribute.type")
        }
        let key = try r.text(max: Limits.maxAttributeKey, "attribute.key")
        try Rules.name(key, max: Limits.maxAttributeKey, "attribute.key")
        let value = try r.text(max: Limits.maxAttributeValue, "attribute.value")
        return NewAttribute(
            processId: processId, attempt: attempt, type: type, key: key, value: value)
    }
}
