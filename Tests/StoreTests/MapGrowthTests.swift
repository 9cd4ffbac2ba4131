import Foundation
import XCTest

@testable import Store

final class MapGrowthTests: StoreTestCase {
    private let value = [UInt8](repeating: 0x5A, count: 1000)

    func testATinyMapGrowsUntilEverythingFits() throws {
        let options = EnvironmentOptions(
            initialMapSize: 64 << 10, maximumMapSize: 64 << 20, durability: .unsafeNoSync)
        let (environment, committer, items) = try open(options)
        defer { committer.close() }
        let startSize = environment.mapSize
        let value = value

        for batch in 0..<20 {
            try committer.write { txn throws(StoreError) in
                for number in batch * 100..<(batch + 1) * 100 {
                    try txn.put(value, for: key(number), in: items)
                }
            }
        }

        XCTAssertGreaterThan(environment.mapSize, startSize)
        try environment.read { txn throws(StoreError) in
            for number in 0..<2000 {
                XCTAssertEqual(try txn.get(key(number), in: items)?.copiedBytes(), value)
            }
        }
    }

    func testTheMapGrowsWhileOtherThreadsKeepReading() throws {
        let options = EnvironmentOptions(
            initialMapSize: 64 << 10, maximumMapSize: 64 << 20, durability: .unsafeNoSync)
        let (environment, committer, items) = try open(options)
        defer { committer.close() }
        let value = value

        let stop = Locked(false), readerErrors = Locked<[StoreError]>([])
        let readers = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: readers) {
                while !stop.current {
                    do throws(StoreError) {
                        _ = try environment.read { txn throws(StoreError) in
                            try txn.get(key(0), in: items)?.copiedBytes()
                        }
                    } catch {
                        readerErrors.update { $0.append(error) }
                    }
                }
            }
        }
        for batch in 0..<20 {
            try committer.write { txn throws(StoreError) in
                for number in batch * 100..<(batch + 1) * 100 {
                    try txn.put(value, for: key(number), in: items)
                }
            }
        }
        stop.update { $0 = true }
        readers.wait()

        XCTAssertEqual(readerErrors.current, [])
        XCTAssertEqual(try count(environment, items), 2000)
        XCTAssertGreaterThan(environment.mapSize, options.initialMapSize)
    }

    /// Writes one value per commit from `start` until the store is full; returns the count.
    private func fillUntilFull(
        _ committer: GroupCommitter, _ items: Database, from start: Int
    ) throws -> Int {
        let value = value
        var number = start
        while number < start + 5000 {
            do {
                try committer.write { [number] txn throws(StoreError) in
                    try txn.put(value, for: key(number), in: items)
                }
                number += 1
            } catch {
                XCTAssertEqual(error, .storeFull)
                break
            }
        }
        XCTAssertLessThan(number, start + 5000, "the store never filled")
        return number - start
    }

    private func delete(_ numbers: Range<Int>, _ committer: GroupCommitter, _ items: Database)
        throws
    {
        for start in stride(from: numbers.lowerBound, to: numbers.upperBound, by: 10) {
            try committer.write { txn throws(StoreError) in
                for number in start..<min(start + 10, numbers.upperBound) {
                    try txn.delete(key(number), in: items)
                }
            }
        }
    }

    private func count(_ environment: LMDBEnvironment, _ items: Database) throws -> Int {
        try environment.read { txn throws(StoreError) in
            var count = 0
            try txn.scan(items, prefix: []) { _, _ in
                count += 1
                return true
            }
            return count
        }
    }

    func testAFullStoreRefusesWritesButKeepsReadsAndRecoversAfterDeletes() throws {
        let options = EnvironmentOptions(
            initialMapSize: 64 << 10, maximumMapSize: 1 << 20, durability: .unsafeNoSync)
        let (environment, committer, items) = try open(options)
        defer { committer.close() }

        let filled = try fillUntilFull(committer, items, from: 0)
        XCTAssertGreaterThan(filled, 100)
        XCTAssertEqual(environment.mapSize, options.maximumMapSize)
        XCTAssertEqual(try count(environment, items), filled)

        // Two rounds: free the oldest half, then fill again.
        var next = filled, oldest = 0
        for round in 0..<2 {
            let live = try count(environment, items)
            try delete(oldest..<oldest + live / 2, committer, items)
            oldest += live / 2

            let refilled = try fillUntilFull(committer, items, from: next)
            XCTAssertGreaterThan(refilled, live / 4, "round \(round)")
            next += refilled
        }
        XCTAssertEqual(try count(environment, items), next - oldest)
    }

    func testInAFullStoreADeletionCommitsWhileAnAdditionInItsBatchFails() throws {
        let options = EnvironmentOptions(
            initialMapSize: 64 << 10, maximumMapSize: 1 << 20, durability: .unsafeNoSync)
        let (environment, committer, items) = try open(options)
        defer { committer.close() }
        let filled = try fillUntilFull(committer, items, from: 0)

        let release = holdWriter(committer)
        let outcomes = Locked<[String: StoreError?]>([:])
        let done = DispatchGroup()
        let value = value
        let mutations: [(String, @Sendable (WriteTransaction) throws(StoreError) -> Void)] = [
            ("add", { txn throws(StoreError) in
                for number in 0..<50 {
                    try txn.put(value, for: bytes("extra\(number)"), in: items)
                }
            }),
            ("delete", { txn throws(StoreError) in try txn.delete(key(0), in: items) }),
        ]
        for (name, mutation) in mutations {
            done.enter()
            committer.submit(mutation, completion: { result in
                outcomes.update { $0[name] = result.error }
                done.leave()
            })
        }
        release.signal()
        done.wait()

        XCTAssertEqual(outcomes.current["add"], .some(.storeFull))
        XCTAssertEqual(outcomes.current["delete"], .some(nil))
        XCTAssertEqual(try count(environment, items), filled - 1)
    }

    func testAMutationThatSwallowsAFullMapErrorIsRefusedFurtherUseAndFails() throws {
        let options = EnvironmentOptions(
            initialMapSize: 128 << 10, maximumMapSize: 128 << 10, durability: .unsafeNoSync)
        let (_, committer, items) = try open(options)
        defer { committer.close() }
        let value = value

        let second = Locked<StoreError?>(nil)
        assertThrows(.storeFull) { () throws(StoreError) in
            try committer.write { txn throws(StoreError) in
                var number = 0
                // Fill the map inside this one mutation, then ignore the failure.
                do throws(StoreError) {
                    while number < 10_000 {
                        try txn.put(value, for: key(number), in: items)
                        number += 1
                    }
                } catch {
                    do throws(StoreError) {
                        try txn.put([1], for: bytes("y"), in: items)
                    } catch {
                        second.update { $0 = error }
                    }
                }
            }
        }

        XCTAssertEqual(second.current, .transactionFailed)
    }
}
