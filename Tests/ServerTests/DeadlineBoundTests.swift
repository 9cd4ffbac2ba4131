import Client
import Foundation
import Server
import Wire
import XCTest

/// A deadline is acted on within one housekeeping tick plus one group commit after it passes
/// (ServerConfiguration.tickInterval). Measured on the monotonic clock. The bound checked
/// here is generous on purpose: it catches a sweep that does not run, not a slow machine.
final class DeadlineBoundTests: XCTestCase {
    func testATimedOutProcessIsTakenBackSoonAfterItsDeadline() throws {
        let server = try TestServer(tickInterval: 20_000_000)
        let colony = try server.makeColony()
        let runtime = try server.makeRuntime(colony: colony)
        let c = try server.client()
        let submitted = try c.submit(
            echoSpec(colony: colony.id, timeout: 1, maxRetries: 1), runtimeKey: runtime)

        let clock = ContinuousClock()
        let assignedAt = clock.now
        let assigned = try XCTUnwrap(try c.assign(colony: colony.id, runtimeKey: runtime))
        XCTAssertEqual(assigned.id, submitted.id)

        // The server's deadline is its wall-clock time of assignment plus 1 s; our clock
        // started before the assign was sent, so the deadline passes at most 1 s from now.
        var takenBackAt: ContinuousClock.Instant?
        let seen = try pollUntil(seconds: 10) {
            let state = try c.getProcess(submitted.id, runtimeKey: runtime).process.state
            if state == .waiting { takenBackAt = clock.now }
            return state == .waiting
        }
        XCTAssertTrue(seen, "the process was not taken back within 10 s")

        let lateBy = try XCTUnwrap(takenBackAt) - assignedAt - .seconds(1)
        XCTAssertLessThan(lateBy, .milliseconds(1000), "taken back \(lateBy) after its deadline")
    }
}
