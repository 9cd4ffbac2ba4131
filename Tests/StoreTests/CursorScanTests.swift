import Foundation
import Wire
import XCTest

@testable import Store

final class CursorScanTests: StoreTestCase {
    private let keys: [[UInt8]] = [
        [0, 9], [1], [1, 1], [1, 2], [1, 2, 0], [1, 3], [1, 0xFF], [1, 0xFF, 0xFF], [2, 0],
    ]

    private func fill() throws -> (LMDBEnvironment, GroupCommitter, Database) {
        let (environment, committer, items) = try open()
        let keys = keys
        try committer.write { txn throws(StoreError) in
            for key in keys.shuffled() {
                try txn.put(key + [0xAA], for: key, in: items)
            }
        }
        return (environment, committer, items)
    }

    private func scan(
        _ environment: LMDBEnvironment, _ items: Database, prefix: [UInt8],
        _ direction: ScanDirection, limit: Int = .max
    ) throws -> [[UInt8]] {
        try environment.read { txn throws(StoreError) in
            var seen: [[UInt8]] = []
            try txn.scan(items, prefix: prefix, direction: direction) { key, value in
                XCTAssertEqual(value.copiedBytes(), key.copiedBytes() + [0xAA])
                seen.append(key.copiedBytes())
                return seen.count < limit
            }
            return seen
        }
    }

    func testMappedBytesLendTheirStorageAndMakeIDsInPlace() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }
        let id: [UInt8] = (0..<32).map { UInt8(200 - $0) }
        let key: [UInt8] = [7, 7] + id
        try committer.write { txn throws(StoreError) in
            try txn.put([1], for: key, in: items)
        }

        let (lent, made) = try environment.read { txn throws(StoreError) in
            var result: ([UInt8]?, ID?) = (nil, nil)
            try txn.scan(items, prefix: [7], direction: .forward) { key, _ in
                let lent = key.withContiguousStorageIfAvailable { Array($0) }
                result = (lent, IndexKey.trailingID(key))
                return false
            }
            return result
        }

        XCTAssertEqual(lent, key)
        XCTAssertEqual(made?.bytes, id)
    }

    func testAForwardPrefixScanVisitsMatchingKeysInOrder() throws {
        let (environment, committer, items) = try fill()
        defer { committer.close() }

        let found = try scan(environment, items, prefix: [1], .forward)

        XCTAssertEqual(found, [[1], [1, 1], [1, 2], [1, 2, 0], [1, 3], [1, 0xFF], [1, 0xFF, 0xFF]])
    }

    func testABackwardPrefixScanVisitsMatchingKeysInReverse() throws {
        let (environment, committer, items) = try fill()
        defer { committer.close() }

        XCTAssertEqual(try scan(environment, items, prefix: [1, 2], .backward), [[1, 2, 0], [1, 2]])
        XCTAssertEqual(
            try scan(environment, items, prefix: [1, 0xFF], .backward),
            [[1, 0xFF, 0xFF], [1, 0xFF]])
        XCTAssertEqual(try scan(environment, items, prefix: [2], .backward), [[2, 0]])
    }

    func testAnEmptyPrefixScansEverythingAndAMissingOneNothing() throws {
        let (environment, committer, items) = try fill()
        defer { committer.close() }

        XCTAssertEqual(try scan(environment, items, prefix: [], .forward), keys)
        XCTAssertEqual(try scan(environment, items, prefix: [], .backward), keys.reversed())
        XCTAssertEqual(try scan(environment, items, prefix: [0xFF], .backward), [])
        XCTAssertEqual(try scan(environment, items, prefix: [1, 4], .forward), [])
    }

    func testAScanStopsWhenTheVisitorSaysSo() throws {
        let (environment, committer, items) = try fill()
        defer { committer.close() }

        XCTAssertEqual(try scan(environment, items, prefix: [1], .forward, limit: 2), [[1], [1, 1]])
    }

    func testCursorMovesStepThroughTheDatabase() throws {
        let (environment, committer, items) = try fill()
        defer { committer.close() }

        try environment.read { txn throws(StoreError) in
            try txn.withCursor(on: items) { cursor throws(StoreError) in
                XCTAssertEqual(try cursor.first()?.key.copiedBytes(), [0, 9])
                XCTAssertEqual(try cursor.next()?.key.copiedBytes(), [1])
                XCTAssertEqual(try cursor.seek(atLeast: [1, 4])?.key.copiedBytes(), [1, 0xFF])
                XCTAssertEqual(try cursor.previous()?.key.copiedBytes(), [1, 3])
                XCTAssertNil(try cursor.seek(exactly: [1, 4]))
                XCTAssertEqual(try cursor.seek(exactly: [1, 2])?.value.copiedBytes(), [1, 2, 0xAA])
                XCTAssertEqual(try cursor.last()?.key.copiedBytes(), [2, 0])
                XCTAssertNil(try cursor.next())
                XCTAssertNil(try cursor.seek(atLeast: [3]))
            }
        }
    }

    func testRandomPrefixScansMatchASortedModel() throws {
        // Re-run a failure with STORE_TEST_SEED=<seed>.
        let seed = ProcessInfo.processInfo.environment["STORE_TEST_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64.max)
        print("CursorScanTests random seed: \(seed)")
        var random = SplitMix64(seed: seed)
        let (environment, committer, items) = try open()
        defer { committer.close() }

        // Few distinct byte values so that prefixes share long runs, including 0xFF edges.
        let alphabet: [UInt8] = [0, 1, 0x7F, 0xFE, 0xFF]
        var model = Set<[UInt8]>()
        while model.count < 300 {
            let length = Int.random(in: 1...5, using: &random)
            model.insert((0..<length).map { _ in alphabet.randomElement(using: &random)! })
        }
        let stored = Array(model)
        try committer.write { txn throws(StoreError) in
            for key in stored {
                try txn.put(key + [0xAA], for: key, in: items)
            }
        }
        let sorted = model.sorted { $0.lexicographicallyPrecedes($1) }

        for _ in 0..<200 {
            let length = Int.random(in: 0...3, using: &random)
            let prefix = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
            let expected = sorted.filter { $0.starts(with: prefix) }
            XCTAssertEqual(try scan(environment, items, prefix: prefix, .forward), expected,
                           "seed \(seed) prefix \(prefix)")
            XCTAssertEqual(try scan(environment, items, prefix: prefix, .backward),
                           expected.reversed(), "seed \(seed) prefix \(prefix)")
        }
    }
}
