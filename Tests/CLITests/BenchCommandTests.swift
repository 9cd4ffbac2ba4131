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

        // A sample before the first slice and one after each (a 1 s run is normally one
        // slice, more if its frames ran out); the recoveries reported are those the ratio
        // used, within the samples' range.
        let count = try XCTUnwrap(fields["bound_sample_count"] as? NSNumber, run.output)
        let slices = try XCTUnwrap(fields["rounds"] as? NSNumber, run.output)
        XCTAssertGreaterThanOrEqual(slices.intValue, 1, run.output)
        XCTAssertEqual(count.intValue, slices.intValue + 1, run.output)
        let perCore = try XCTUnwrap(fields["recoveries_per_s"] as? NSNumber).doubleValue
        let cores = try XCTUnwrap(fields["cores"] as? NSNumber).doubleValue
        let bound = try XCTUnwrap(fields["bound_ops_per_s"] as? NSNumber).doubleValue
        XCTAssertEqual(perCore * cores, bound, accuracy: bound * 0.001, run.output)
        let low = try XCTUnwrap(fields["bound_sample_min"] as? NSNumber).doubleValue
        let high = try XCTUnwrap(fields["bound_sample_max"] as? NSNumber).doubleValue
        XCTAssertGreaterThanOrEqual(perCore, low - 0.1, run.output)
        XCTAssertLessThanOrEqual(perCore, high + 0.1, run.output)
    }

    func testTheBoundHoldsEachSliceToTheMeanOfTheSamplesBesideItWeightedByLength() throws {
        var run = MeasuredRun()
        run.boundSamples = [20_000, 10_000, 16_000]
        run.sliceSeconds = [2, 1]

        let bound = try XCTUnwrap(run.bound(cores: 2))

        // Slice one: 2 s at 15,000; slice two: 1 s at 13,000.
        XCTAssertEqual(bound.recoveriesPerSecond, (2 * 15_000 + 13_000) / 3, accuracy: 0.001)
        XCTAssertEqual(bound.opsPerSecond, 2 * (2 * 15_000 + 13_000) / 3, accuracy: 0.001)
        XCTAssertEqual(bound.measurements, [20_000, 10_000, 16_000])
    }

    func testARunWithoutSamplesBetweenSlicesHasNoBoundOfItsOwn() {
        var run = MeasuredRun()
        XCTAssertNil(run.bound(cores: 2))

        run.boundSamples = [20_000]
        run.sliceSeconds = [1]
        XCTAssertNil(run.bound(cores: 2), "a slice needs a sample on each side")
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
