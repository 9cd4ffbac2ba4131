/// Bytes of a key or value read in place from LMDB's memory map, without a copy.
///
/// Validity: a view is valid only inside the transaction closure that produced it
/// (`LMDBEnvironment.read { }` or a group-commit mutation). In a write transaction it is
/// valid only until the next `put` or `delete` in that transaction, which may move or reuse
/// the page. Copy what must outlive that with `copiedBytes()`. Using a view later reads
/// unmapped or reused memory; the type is not `Sendable` so it cannot cross threads.
public struct MappedBytes: RandomAccessCollection {
    /// The raw view. Same validity rules as the type, with no bounds checks.
    public let unsafeRawBuffer: UnsafeRawBufferPointer

    init(_ buffer: UnsafeRawBufferPointer) {
        unsafeRawBuffer = buffer
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int { unsafeRawBuffer.count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < unsafeRawBuffer.count, "index out of range")
        return unsafeRawBuffer[position]
    }

    /// The bytes are contiguous: generic code (an id made from a key) reads them at once.
    public func withContiguousStorageIfAvailable<R>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R? {
        try body(unsafeRawBuffer.assumingMemoryBound(to: UInt8.self))
    }

    /// A copy that stays valid after the transaction ends.
    public func copiedBytes() -> [UInt8] {
        Array(unsafeRawBuffer)
    }

    /// True when the bytes begin with `prefix`.
    public func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard prefix.count <= unsafeRawBuffer.count else { return false }

        return prefix.withUnsafeBytes { wanted in
            wanted.elementsEqual(UnsafeRawBufferPointer(rebasing: unsafeRawBuffer[..<wanted.count]))
        }
    }

    /// True when the bytes equal `other`.
    public func equals(_ other: [UInt8]) -> Bool {
        other.count == unsafeRawBuffer.count && hasPrefix(other)
    }
}

@available(*, unavailable, message: "a view into the memory map must stay in its transaction")
extension MappedBytes: Sendable {}
