import CLICore
import Foundation
import XCTest

@testable import colonies

/// `colonies bench` end to end: the built binary starts its own server child, runs a short
/// load and reports. No figure is compared with a threshold: machines are noisy.
final class BenchCommandTests: XCTestCase {
    func testReadsScenarioPrintsOneJSONObjectWithEveryFieldPositive() throws {
        let run = try BuiltBinary.run([
            "bench", "--scenario", "reads", "--duration", "1", "--connections", "2",
            "--depth", "4", "--json",
        ])

        XCTAssertEqual(run.status, 0, run.errors)
        let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
        let fields = try XCTUnwrap(object as? [String: Any], run.output)
        XCTAssertEqual(fields["scenario"] as? String, "reads")
        for name in [
            "ops_per_s", "bound_ops_per_s", "ratio", "p50_us", "p99_us", "p999_us",
            "server_rss_kb",
        ] {
            let value = try XCTUnwrap(fields[name] as? NSNumber, "\(name) missing: \(run.output)")
            XCTAssertGreaterThan(value.doubleValue, 0, "\(name) in \(run.output)")
        }
        XCTAssertEqual((fields["errors"] as? NSNumber)?.intValue, 0, run.output)
    }

    func testUnknownScenarioIsAUsageErrorThatListsTheScenarios() {
        let console = CapturingConsole()

        let code = Runner.run(
            ["bench", "--scenario", "writes"], environment: [:], console: console)

        XCTAssertEqual(code, .usage)
        XCTAssertTrue(console.errorText.contains("unknown scenario 'writes'"), console.errorText)
        XCTAssertTrue(console.errorText.contains("cycles"), console.errorText)
    }

    func testHostWithoutPortIsAUsageError() {
        let console = CapturingConsole()

        let code = Runner.run(
            ["bench", "--host", "127.0.0.1"], environment: [:], console: console)

        XCTAssertEqual(code, .usage)
        XCTAssertTrue(console.errorText.contains("--port"), console.errorText)
    }

    func testLatencyPercentilesAreNearestRank() {
        let summary = LatencySummary(nanoseconds: (1...1000).map { UInt64($0) * 1000 })

        XCTAssertEqual(summary.p50, 500)
        XCTAssertEqual(summary.p99, 990)
        XCTAssertEqual(summary.p999, 999)
        XCTAssertEqual(summary.count, 1000)
    }
}
