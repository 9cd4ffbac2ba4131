import XCTest

@testable import Wire

/// `ID(bytes:)` takes any collection of bytes: contiguous ones are read at once, others
/// byte by byte, and both must give the same id.
final class IDBytesTests: XCTestCase {
    private let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7 + 3) }

    func testEveryKindOfCollectionGivesTheSameID() throws {
        let fromArray = try XCTUnwrap(ID(bytes: bytes))
        let padded = [0xEE] + bytes + [0xEE]
        let fromSlice = try XCTUnwrap(ID(bytes: padded[1..<33]))
        let fromLazy = try XCTUnwrap(ID(bytes: bytes.lazy.map { $0 }))
        let fromRaw = bytes.withUnsafeBytes { ID(bytes: $0) }

        XCTAssertEqual(fromSlice, fromArray)
        XCTAssertEqual(fromLazy, fromArray)
        XCTAssertEqual(fromRaw, fromArray)
        XCTAssertNil(bytes.lazy.map { $0 }.withContiguousStorageIfAvailable { _ in true },
                     "the lazy collection must take the byte-by-byte path")
    }

    func testTheBytesComeBackInOrder() throws {
        let id = try XCTUnwrap(ID(bytes: bytes))

        XCTAssertEqual(id.bytes, bytes)
        XCTAssertEqual(ID(bytes: bytes.lazy.map { $0 })?.bytes, bytes)
    }

    func testAnyOtherCountIsRefused() {
        XCTAssertNil(ID(bytes: bytes.dropLast()))
        XCTAssertNil(ID(bytes: bytes + [0]))
        XCTAssertNil(ID(bytes: [UInt8]()))
        XCTAssertNil(ID(bytes: (bytes + [0]).lazy.map { $0 }))
    }
}
