import Foundation
import Wire
import XCTest

@testable import Store

/// A `ColonyStore` in a temporary folder, with one colony, and a fake clock.
class ColonyStoreTestCase: StoreTestCase {
    var store: ColonyStore!

    /// The fake clock: an hour ahead of the wall clock, so that it stays ahead of the
    /// submission counter the store seeds from the wall clock, and `submittedAt == now`.
    var now: Int64 = 0

    let colonyID = testID("colony")

    // XCTest runs setUpWithError before setUp, where the folder is chosen: hence setUp.
    override func setUp() {
        super.setUp()
        now = WallClock.now() + 3600 * second
        do {
            store = try openStore()
            let colony = Colony(id: colonyID, name: "lab")
            XCTAssertEqual(try mutate { try $0.addColony(colony) }, .success(colony))
        } catch {
            XCTFail("cannot open the store: \(error)")
        }
    }

    override func tearDown() {
        store?.close()
        store = nil
        super.tearDown()
    }

    func openStore() throws -> ColonyStore {
        try ColonyStore(path: folder, options: EnvironmentOptions(durability: .unsafeNoSync))
    }

    /// Closes the store and opens the folder again.
    func reopen() throws {
        store.close()
        store = try openStore()
    }

    /// Moves the fake clock on and returns the new time.
    @discardableResult
    func tick(_ nanoseconds: Int64 = 1_000) -> Int64 {
        now += nanoseconds
        return now
    }

    /// Runs one mutation and waits for its durable commit. Takes an untyped closure, since
    /// Swift 6 does not infer `throws(StoreError)` for a one-line closure.
    func mutate<T: Sendable>(
        _ body: @escaping @Sendable (inout Records) throws -> T
    ) throws -> T {
        try store.mutateAndWait { records throws(StoreError) -> T in
            do {
                return try body(&records)
            } catch let error as StoreError {
                throw error
            } catch {
                throw .corrupt("test mutation threw \(error)")
            }
        }
    }

    /// Registers and approves a runtime of the test colony.
    @discardableResult
    func addRuntime(
        _ name: String, type: Text = "cpu", mem: UInt64 = 1024, cores: UInt32 = 4,
        gpus: UInt32 = 0
    ) throws -> Runtime {
        let runtime = Runtime(
            id: testID("runtime-\(name)"), colonyId: colonyID, name: Text(name), type: type,
            cores: cores, mem: mem, gpus: gpus)
        let (colony, at) = (colonyID, tick())
        _ = try mutate { try $0.addRuntime(runtime, now: at) }.get()
        return try mutate { try $0.setRuntimeState(runtime.id, colony: colony, .approved) }.get()
    }

    /// Submits a process of the test colony with the given scheduling settings.
    @discardableResult
    func submit(
        _ label: String, priority: Int32 = 0, conditions: Conditions? = nil,
        timeout: Int32 = -1, maxWaitTime: Int32 = -1, maxRetries: Int32 = 0
    ) throws -> Wire.Process {
        let spec = ProcessSpec(
            conditions: conditions ?? Conditions(colonyId: colonyID), function: "echo",
            args: [Text(label)], priority: priority, timeout: timeout, maxWaitTime: maxWaitTime,
            maxRetries: maxRetries)
        let (id, at) = (testID(label), tick())
        return try mutate { try $0.submit(spec, id: id, now: at) }.get()
    }

    /// Assigns the next process to `runtime` at the current fake time.
    func assign(_ runtime: Runtime) throws -> Wire.Process? {
        let at = tick()
        return try mutate { try $0.assign(runtime: runtime, now: at) }
    }

    /// Sweeps at `time`.
    func sweep(at time: Int64) throws -> [Wire.Process] {
        try mutate { try $0.sweep(now: time) }
    }

    /// Fails the test unless the store is consistent.
    func assertConsistent(file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try store.check()
        XCTAssertTrue(report.passed, "\(report.problems)", file: file, line: line)
        XCTAssertGreaterThan(report.recordsScanned, 0, file: file, line: line)
    }
}

/// One second in the store's nanoseconds.
let second: Int64 = 1_000_000_000

/// A stable id for a label: tests name their objects.
func testID(_ label: String) -> ID {
    SHA3.digest(Array(label.utf8))
}

/// The refusal of a result, or nil on success.
func refusal<T>(_ result: Result<T, Refusal>) -> ErrorCode? {
    if case .failure(let r) = result { return r.code }
    return nil
}
