/// A colony: a set of runtimes under one owner. Its id is the id of the owner's key.
///
/// Layout: `id` (32 bytes), `name` (text, name rule).
public struct Colony: WireCodable, Hashable {
    public var id: ID
    public var name: Text

    public init(id: ID, name: Text) {
        self.id = id
        self.name = name
    }

    public func encode(to w: inout WireWriter) {
        w.id(id)
        w.text(name)
    }

    public static func decode(from r: inout WireReader) throws(WireError) -> Colony {
        let id = try r.id("colony.id")
        let name = try r.text(max: Limits.maxName, "colony.name")
        try Rules.name(name, "colony.name")
        return Colony(id: id, name: name)
    }
}
