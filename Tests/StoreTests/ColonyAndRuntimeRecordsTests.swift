import Wire
import XCTest

@testable import Store

final class ColonyAndRuntimeRecordsTests: ColonyStoreTestCase {
    func testAColonyIsStoredOnceAndASecondWithTheSameIdIsRefused() throws {
        let other = Colony(id: testID("other"), name: "other")
        XCTAssertEqual(try mutate { try $0.addColony(other) }, .success(other))

        let again = Colony(id: colonyID, name: "renamed")
        XCTAssertEqual(refusal(try mutate { try $0.addColony(again) }), .alreadyExists)

        XCTAssertEqual(try store.colony(colonyID)?.name, "lab")
        XCTAssertEqual(Set(try store.colonies().map(\.id)), [colonyID, other.id])
        XCTAssertNil(try store.colony(testID("nobody")))
    }

    func testARuntimeIsStoredPendingWithItsRegistrationTime() throws {
        let offered = Runtime(
            id: testID("r"), colonyId: colonyID, name: "r", type: "cpu", cores: 8,
            state: .approved, registeredAt: 5)
        let at = tick()

        let stored = try mutate { try $0.addRuntime(offered, now: at) }.get()

        XCTAssertEqual(stored.state, .pending)
        XCTAssertEqual(stored.registeredAt, at)
        XCTAssertEqual(stored.cores, 8)
        XCTAssertEqual(try store.runtime(offered.id), stored)
        XCTAssertEqual(try store.runtimes(colony: colonyID), [stored])
    }

    func testARuntimeOfAMissingColonyOrWithATakenIdIsRefused() throws {
        let orphan = Runtime(id: testID("r"), colonyId: testID("nowhere"), name: "r", type: "t")
        let at = tick()
        XCTAssertEqual(refusal(try mutate { try $0.addRuntime(orphan, now: at) }), .notFound)

        let runtime = try addRuntime("r2")
        XCTAssertEqual(refusal(try mutate { try $0.addRuntime(runtime, now: at) }), .alreadyExists)
        XCTAssertNil(try store.runtime(orphan.id))
        try assertConsistent()
    }

    func testSettingTheStateOfARuntimeOfAnotherColonyIsRefusedAsNotFound() throws {
        let runtime = try addRuntime("r")
        let other = testID("other")

        let result = try mutate { try $0.setRuntimeState(runtime.id, colony: other, .rejected) }

        XCTAssertEqual(refusal(result), .notFound)
        XCTAssertEqual(try store.runtime(runtime.id)?.state, .approved)
        let missing = testID("missing"), colony = colonyID
        XCTAssertEqual(
            refusal(try mutate { try $0.setRuntimeState(missing, colony: colony, .approved) }),
            .notFound)
    }

    func testStatisticsCountRuntimesAndApprovedRuntimesFromTheIndex() throws {
        try addRuntime("a")
        let b = try addRuntime("b")
        let pending = Runtime(id: testID("c"), colonyId: colonyID, name: "c", type: "cpu")
        let (colony, at) = (colonyID, tick())
        _ = try mutate { try $0.addRuntime(pending, now: at) }
        _ = try mutate { try $0.setRuntimeState(b.id, colony: colony, .rejected) }

        let stats = try store.statistics(colony: colonyID)

        XCTAssertEqual(stats.runtimes, 3)
        XCTAssertEqual(stats.approvedRuntimes, 1)
        XCTAssertEqual(stats.waiting, StateCount(count: 0, oldestAt: 0))
        try assertConsistent()
    }
}
