import Foundation
import XCTest

@testable import Store

final class ReadWriteTests: StoreTestCase {
    func testAPutValueIsReadBackAndADeletedOneIsGone() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        try committer.write { txn throws(StoreError) in
            try txn.put(bytes("one"), for: bytes("a"), in: items)
            try txn.put(bytes("two"), for: bytes("b"), in: items)
        }
        let removed = try committer.write { txn throws(StoreError) in
            try txn.delete(bytes("a"), in: items)
        }

        XCTAssertTrue(removed)
        try environment.read { txn throws(StoreError) in
            XCTAssertNil(try txn.get(bytes("a"), in: items))
            XCTAssertEqual(try txn.get(bytes("b"), in: items)?.copiedBytes(), bytes("two"))
            XCTAssertNil(try txn.get(bytes("missing"), in: items))
        }
    }

    func testDeletingAnAbsentKeyReportsFalse() throws {
        let (_, committer, items) = try open()
        defer { committer.close() }

        let removed = try committer.write { txn throws(StoreError) in
            try txn.delete(bytes("never"), in: items)
        }

        XCTAssertFalse(removed)
    }

    func testPutWithoutOverwriteKeepsTheExistingValue() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        let results = try committer.write { txn throws(StoreError) in
            [try txn.put(bytes("first"), for: bytes("k"), in: items, overwrite: false),
             try txn.put(bytes("second"), for: bytes("k"), in: items, overwrite: false)]
        }

        XCTAssertEqual(results, [true, false])
        let stored = try environment.read { txn throws(StoreError) in
            try txn.get(bytes("k"), in: items)?.copiedBytes()
        }
        XCTAssertEqual(stored, bytes("first"))
    }

    func testAReservedValueHoldsWhatTheFillWrote() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }

        try committer.write { txn throws(StoreError) in
            try txn.put(reserving: 3, for: bytes("r"), in: items) { space in
                space.copyBytes(from: [7, 8, 9])
            }
        }

        let stored = try environment.read { txn throws(StoreError) in
            try txn.get(bytes("r"), in: items)?.copiedBytes()
        }
        XCTAssertEqual(stored, [7, 8, 9])
    }

    func testAnEmptyOrOversizedKeyIsRejectedAndTheTransactionStaysUsable() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }
        let tooLong = [UInt8](repeating: 1, count: environment.maxKeySize + 1)

        try environment.read { txn throws(StoreError) in
            assertThrows(.invalidKey(length: 0)) { () throws(StoreError) in
                try txn.get([], in: items)
            }
            assertThrows(.invalidKey(length: tooLong.count)) { () throws(StoreError) in
                try txn.get(tooLong, in: items)
            }
            XCTAssertNil(try txn.get(bytes("fine"), in: items))
        }
    }

    func testAReadSeesTheStateAsOfItsStart() throws {
        let (environment, committer, items) = try open()
        defer { committer.close() }
        try committer.write { txn throws(StoreError) in
            try txn.put(bytes("old"), for: bytes("k"), in: items)
        }

        let seen = try environment.read { txn throws(StoreError) in
            let before = try txn.get(bytes("k"), in: items)?.copiedBytes()
            let committed = DispatchSemaphore(value: 0)
            committer.submit({ txn throws(StoreError) in
                try txn.put(bytes("new"), for: bytes("k"), in: items)
            }, completion: { _ in committed.signal() })
            // Waiting inside a read is safe here only because the map never grows.
            committed.wait()
            let after = try txn.get(bytes("k"), in: items)?.copiedBytes()
            return (before, after)
        }

        XCTAssertEqual(seen.0, bytes("old"))
        XCTAssertEqual(seen.1, bytes("old"))
        let now = try environment.read { txn throws(StoreError) in
            try txn.get(bytes("k"), in: items)?.copiedBytes()
        }
        XCTAssertEqual(now, bytes("new"))
    }

    func testReopeningTheFolderKeepsTheData() throws {
        do {
            let (environment, committer, items) = try open(EnvironmentOptions())
            try committer.write { txn throws(StoreError) in
                try txn.put(bytes("kept"), for: bytes("k"), in: items)
            }
            committer.close()
            environment.close()
        }

        let environment = try LMDBEnvironment(
            path: folder, databases: ["items", "added"], options: EnvironmentOptions())
        defer { environment.close() }
        let items = try XCTUnwrap(environment.database("items"))
        let stored = try environment.read { txn throws(StoreError) in
            try txn.get(bytes("k"), in: items)?.copiedBytes()
        }
        XCTAssertEqual(stored, bytes("kept"))
        XCTAssertNotNil(environment.database("added"))
        XCTAssertNil(environment.database("unknown"))
    }

    func testAClosedEnvironmentRefusesReads() throws {
        let (environment, committer, items) = try open()
        committer.close()
        environment.close()

        assertThrows(.closed) { () throws(StoreError) in
            try environment.read { txn throws(StoreError) in try txn.get(bytes("k"), in: items) }
        }
    }
}
