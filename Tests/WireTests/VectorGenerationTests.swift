import Foundation
import Wire
import XCTest

/// Makes spec/vectors/*.json and the worked examples in spec/PROTOCOL.md from the code.
///
///     COLONIES_WRITE_VECTORS=1 swift test --filter VectorGenerationTests   # writes them
///     swift test --filter VectorGenerationTests                            # checks them
///
/// Without the variable the test fails when a committed file differs from what the code
/// generates now, so the files cannot drift from the implementation unnoticed.
final class VectorGenerationTests: XCTestCase {
    func testTheCommittedVectorsAreExactlyWhatTheCodeGenerates() throws {
        let write = ProcessInfo.processInfo.environment["COLONIES_WRITE_VECTORS"] == "1"
        let files = try VectorFiles.generated()
        XCTAssertEqual(files.count, 4)

        for (url, text) in files {
            if write {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                print("wrote \(url.path)")
                continue
            }
            let committed = try String(contentsOf: url, encoding: .utf8)
            if let line = firstDifference(committed, text) {
                XCTFail(
                    "\(url.lastPathComponent) differs from the generated text at line \(line); "
                        + "re-run with COLONIES_WRITE_VECTORS=1 if the change is intended")
            }
        }
    }

    func testTheGeneratorCoversEveryRequestTypeAndEveryReplyCase() throws {
        let requestTypes = Set(try VectorCatalog.requests().map(\.name))
        let expected = Set(MessageType.allCases.filter(\.isRequest).map(\.name))
        XCTAssertEqual(requestTypes, expected)

        let replyNames = Set(VectorCatalog.replyCases.map { MessageJSON.reply($0.reply).name })
        XCTAssertEqual(replyNames.count, 12, "every case of Reply: \(replyNames.sorted())")
        XCTAssertEqual(Set(VectorCatalog.replyCases.map(\.to.name)), expected)
    }

    func testTheFixtureIdsAreTheIdsOfTheFixtureKeys() {
        XCTAssertEqual(Fixtures.serverOwnerKey.id, Fixtures.serverId)
        XCTAssertEqual(Fixtures.colonyOwnerKey.id, Fixtures.colonyId)
        XCTAssertEqual(Fixtures.runtimeKey.id, Fixtures.runtimeId)
        XCTAssertEqual(Fixtures.otherRuntimeKey.id, Fixtures.otherRuntimeId)
    }

    /// The 1-based number of the first line where `a` and `b` differ, or nil when equal.
    private func firstDifference(_ a: String, _ b: String) -> Int? {
        guard a != b else { return nil }
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) where i >= la.count || i >= lb.count || la[i] != lb[i]
        {
            return i + 1
        }
        return max(la.count, lb.count)
    }
}
