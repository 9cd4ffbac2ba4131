/// A list field: a varint count, then the elements one after another.
///
/// A decoded list keeps the slice of the frame that holds its elements and decodes each one
/// again as it is iterated, so decoding a message with lists allocates nothing. Elements were
/// checked once when the list was decoded.
public struct WireList<Element: WireCodable>: Sequence, Sendable {
    /// The encoded elements, without the count.
    public let elementBytes: ArraySlice<UInt8>
    public let count: Int

    /// Encodes `elements` (a copy is made once, here; an empty list allocates nothing).
    public init(_ elements: [Element]) {
        guard !elements.isEmpty else {
            self.init(elementBytes: [], count: 0)
            return
        }
        var writer = WireWriter()
        for e in elements { e.encode(to: &writer) }
        self.init(elementBytes: writer.bytes[...], count: elements.count)
    }

    public static var empty: WireList { WireList([]) }

    public var isEmpty: Bool { count == 0 }

    /// The elements as an array (a copy).
    public var array: [Element] { Array(self) }

    public func encode(to writer: inout WireWriter) {
        writer.varint(count)
        writer.raw(elementBytes)
    }

    /// Decodes a count of at most `maxCount`, then each element with `Element.decode`,
    /// calling `check` on each so the caller can apply per-field limits and ordering.
    public static func decode(
        from reader: inout WireReader, maxCount: Int, _ field: StaticString,
        check: (Element, Element?) throws(WireError) -> Void = { _, _ in }
    ) throws(WireError) -> WireList {
        try decode(from: &reader, maxCount: maxCount, field, element: { (r: inout WireReader)
            throws(WireError) in try Element.decode(from: &r) }, check: check)
    }

    /// Like `decode(from:maxCount:_:check:)`, reading each element with `element`, for
    /// elements whose field has its own limit (such as a text no longer than 4096 bytes).
    public static func decode(
        from reader: inout WireReader, maxCount: Int, _ field: StaticString,
        element: (inout WireReader) throws(WireError) -> Element,
        check: (Element, Element?) throws(WireError) -> Void = { _, _ in }
    ) throws(WireError) -> WireList {
        let count = try reader.varint(max: maxCount, field)
        let start = reader.position
        let all = reader.rest
        var previous: Element? = nil
        for _ in 0..<count {
            let element = try element(&reader)
            try check(element, previous)
            previous = element
        }
        let used = reader.position - start
        return WireList(elementBytes: all.prefix(used), count: count)
    }

    private init(elementBytes: ArraySlice<UInt8>, count: Int) {
        self.elementBytes = elementBytes
        self.count = count
    }

    public struct Iterator: IteratorProtocol {
        var reader: WireReader
        var left: Int

        public mutating func next() -> Element? {
            guard left > 0 else { return nil }
            left -= 1
            // The list was checked when it was decoded or built, so this cannot fail; if it
            // somehow did, ending the iteration is safer than trapping.
            return try? Element.decode(from: &reader)
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(reader: WireReader(elementBytes), left: count)
    }
}

extension WireList: Equatable {
    public static func == (a: WireList, b: WireList) -> Bool {
        a.count == b.count && a.elementBytes.elementsEqual(b.elementBytes)
    }
}

extension WireList: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for b in elementBytes { hasher.combine(b) }
    }
}
