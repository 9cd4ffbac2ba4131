import Foundation
import Wire
import XCTest

@testable import Store

/// The get-process reply written from the stored bytes must be the very bytes the decoded
/// process and attributes encode to, and only for an approved runtime of the colony.
final class ProcessDetailsTests: ColonyStoreTestCase {
    func testTheWrittenBodyEqualsTheEncodedReplyWithAttributes() throws {
        let runtime = try addRuntime("r")
        try submit("p")
        let p = try XCTUnwrap(try assign(runtime))
        let (rid, at) = (runtime.id, tick())
        for (key, type) in [("out", AttributeType.output), ("err", .error)] {
            let new = NewAttribute(
                processId: p.id, attempt: p.attempt, type: type, key: Text(key), value: "v")
            _ = try mutate { try $0.addAttribute(new, runtime: rid, now: at) }.get()
        }

        let (outcome, written) = try details(p.id, for: runtime.id)

        XCTAssertEqual(outcome, .written)
        let stored = try XCTUnwrap(try store.process(p.id))
        let attributes = try store.attributes(process: p.id)
        XCTAssertEqual(attributes.count, 2)
        var expected = WireWriter()
        Reply.processDetails(stored, attributes: WireList(attributes)).encode(to: &expected)
        XCTAssertEqual(written, expected.bytes)
    }

    func testAProcessWithoutAttributesEndsWithAnEmptyList() throws {
        let runtime = try addRuntime("r")
        let p = try submit("p")

        let (outcome, written) = try details(p.id, for: runtime.id)

        XCTAssertEqual(outcome, .written)
        XCTAssertEqual(written, p.encoded + [0])
    }

    func testAnotherColonysRuntimeAndAMissingProcessSeeNothing() throws {
        let p = try submit("p")
        let mine = try addRuntime("r")
        let otherColony = testID("other colony")
        _ = try mutate { try $0.addColony(Colony(id: otherColony, name: "other")) }.get()
        let stranger = Runtime(
            id: testID("stranger"), colonyId: otherColony, name: "s", type: "cpu")
        let at = tick()
        _ = try mutate { try $0.addRuntime(stranger, now: at) }.get()
        _ = try mutate { try $0.setRuntimeState(stranger.id, colony: otherColony, .approved) }
            .get()

        XCTAssertEqual(try details(p.id, for: stranger.id).0, .notVisible)
        XCTAssertEqual(try details(testID("nothing"), for: mine.id).0, .notVisible)
        XCTAssertEqual(try details(p.id, for: stranger.id).1, [])
    }

    func testAPendingOrUnknownCallerIsNotApproved() throws {
        let p = try submit("p")
        let pending = Runtime(id: testID("pending"), colonyId: colonyID, name: "n", type: "cpu")
        let at = tick()
        _ = try mutate { try $0.addRuntime(pending, now: at) }.get()

        XCTAssertEqual(try details(p.id, for: pending.id).0, .callerNotApproved)
        XCTAssertEqual(try details(p.id, for: testID("nobody")).0, .callerNotApproved)
    }

    private func details(_ id: ID, for caller: ID) throws -> (ProcessDetailsOutcome, [UInt8]) {
        var writer = WireWriter()
        let outcome = try store.writeProcessDetails(id, for: caller, into: &writer)
        return (outcome, writer.bytes)
    }
}
