import Foundation
import XCTest

@testable import Store

/// A temporary data folder, removed when the test ends.
class StoreTestCase: XCTestCase {
    var folder = ""

    override func setUp() {
        super.setUp()
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("store-tests-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    /// Opens the folder with one database, "items", and a committer on it.
    func open(
        _ options: EnvironmentOptions = EnvironmentOptions(durability: .unsafeNoSync)
    ) throws -> (LMDBEnvironment, GroupCommitter, Database) {
        let environment = try LMDBEnvironment(
            path: folder, databases: ["items"], options: options)
        let committer = try GroupCommitter(environment: environment)
        return (environment, committer, try XCTUnwrap(environment.database("items")))
    }

    /// Queues a mutation that holds the writer until the returned semaphore is signalled,
    /// and returns once the writer is inside it: what is submitted meanwhile queues up and
    /// is taken as one batch after the release.
    func holdWriter(_ committer: GroupCommitter) -> DispatchSemaphore {
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        committer.submit({ _ throws(StoreError) in
            started.signal()
            release.wait()
        }, completion: { _ in })
        started.wait()
        return release
    }

    /// Runs `body`, expecting it to throw exactly `expected`.
    func assertThrows<T>(
        _ expected: StoreError, file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws(StoreError) -> T
    ) {
        do {
            _ = try body()
            XCTFail("expected \(expected), got success", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }
}

/// Bytes of a string, for readable keys.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A key made of a counter, for bulk writes.
func key(_ number: Int) -> [UInt8] {
    bytes("k\(String(number + 100_000))")
}

/// A deterministic generator so that a failing random test can be re-run with its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// A value shared between a test and the writer thread.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func update<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }

    var current: Value {
        update { $0 }
    }
}

extension Result {
    /// The failure, or nil on success.
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
