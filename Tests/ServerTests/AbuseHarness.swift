import Foundation
import Server
import Store
import Wire
import XCTest

/// A server under attack, with an honest runtime that must keep being served and a watch on
/// the test process's memory (the server runs in it). `finish` checks both, stops the
/// server and checks its store. README "Hostile clients" derives the bounds.
final class AbuseHarness {
    /// Resident memory one abuse round may add over the start of the round.
    static let memoryGrowthBound = 64 << 20

    /// The longest the honest client may go unanswered. The target is an answer every
    /// half second; the bound is four times that, since the machine is shared and slow.
    static let longestSilenceAllowed = Duration.seconds(2)

    let server: TestServer
    let colony: PrivateKey
    let runtime: PrivateKey
    private let honest: HonestClientLoop
    private let memory: PeakMemoryWatch
    private let baseline: Int

    init(configure: @escaping (inout ServerConfiguration) -> Void = { _ in }) throws {
        server = try TestServer(configure: configure)
        colony = try server.makeColony()
        runtime = try server.makeRuntime(colony: colony)
        honest = try HonestClientLoop(server: server, colony: colony, runtime: runtime)

        // The baseline is taken once the honest loop has warmed up, so its own buffers
        // and the store's first pages are not counted as growth.
        let honest = self.honest
        guard pollUntil({ honest.answerCount >= 12 }) else {
            throw SetupFailure("the honest client got no answers before any abuse")
        }
        baseline = ResidentMemory.current() ?? 0
        memory = PeakMemoryWatch()
    }

    var port: UInt16 { server.port }

    var counters: ReactorCounters { server.server.counters }

    /// Waits until the honest client has had `count` more answers: called while an abuse
    /// is still under way, it shows the client is served during it, not only after.
    func expectHonestAnswers(
        _ count: Int = 4, during what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let target = honest.answerCount + count
        let honest = self.honest
        XCTAssertTrue(
            pollUntil { honest.answerCount >= target },
            "the honest client was not answered during \(what)", file: file, line: line)
    }

    /// Stops the honest client and the memory watch and checks what they saw; then stops
    /// the server and runs the store's consistency check on its data folder.
    func finish(file: StaticString = #filePath, line: UInt = #line) throws {
        let summary = honest.stop()
        let peak = memory.stop()
        let growth = peak - baseline
        print(
            "abuse: honest answers \(summary.answers), longest silence "
                + "\(summary.longestSilence), resident growth \(growth >> 10) KiB "
                + "(baseline \(baseline >> 20) MiB)")

        XCTAssertEqual(summary.failures, [], "honest client failures", file: file, line: line)
        XCTAssertLessThanOrEqual(
            summary.longestSilence, Self.longestSilenceAllowed,
            "the honest client went unanswered too long", file: file, line: line)
        XCTAssertLessThanOrEqual(
            growth, Self.memoryGrowthBound, "resident memory grew \(growth) bytes",
            file: file, line: line)

        server.stop()
        let store = try ColonyStore.open(path: server.dataPath)
        defer { store.close() }
        let report = try store.check()
        XCTAssertTrue(report.passed, "store check: \(report.problems)", file: file, line: line)
        XCTAssertGreaterThan(report.recordsScanned, 0, file: file, line: line)
    }
}
