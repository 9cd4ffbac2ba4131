import Client
import Wire
import XCTest

/// Every request tried under every signer over loopback, with the exact error code of each
/// refusal (spec/PROTOCOL.md, sections 6 and 12). A failure prints the whole table.
final class RulesTests: XCTestCase {
    func testEverySignerGetsExactlyTheAnswerTheRulesGiveForEveryRequest() throws {
        let world = try RulesWorld()
        var rows: [RuleRow] = []
        for operation in RuleTable.operations {
            for signer in Signer.allCases {
                rows.append(
                    run(operation.name, signer, expected: operation.expected(signer), world) {
                        try operation.request(world, signer)
                    })
            }
        }
        XCTAssertEqual(rows.count, RuleTable.operations.count * Signer.allCases.count)
        report(rows)
    }

    func testMissingTakenOverAndFinishedObjectsGetTheirOwnCodes() throws {
        let world = try RulesWorld()
        var rows: [RuleRow] = []
        for special in RuleTable.specialCases {
            rows.append(
                run(special.name, special.signer, expected: special.expected, world) {
                    try special.request(world)
                })
        }
        XCTAssertEqual(rows.count, RuleTable.specialCases.count)
        report(rows)
    }

    // MARK: Running the table

    private func run(
        _ operation: String, _ signer: Signer, expected: ErrorCode?, _ world: RulesWorld,
        _ makeRequest: () throws -> Request
    ) -> RuleRow {
        let got: String
        do {
            let request = try makeRequest()
            // A connection of its own, so no row's subscriptions or events reach another.
            let client = try world.server.client(readTimeout: 10_000)
            _ = try client.call(request, key: world.key(signer))
            got = RuleRow.describe(nil)
        } catch let error as ClientError {
            if case .refused(let code, _) = error { got = code.name } else { got = "\(error)" }
        } catch {
            got = "setup failed: \(error)"
        }
        return RuleRow(
            operation: operation, signer: signer.rawValue, expected: expected, got: got)
    }

    private func report(_ rows: [RuleRow], file: StaticString = #filePath, line: UInt = #line) {
        let failed = rows.filter { !$0.passed }
        guard !failed.isEmpty else { return }

        var table = "\n  " + pad("request", 44) + pad("signer", 24) + pad("expected", 22) + "got\n"
        for row in rows {
            table += (row.passed ? "  " : "✗ ") + pad(row.operation, 44) + pad(row.signer, 24)
            table += pad(RuleRow.describe(row.expected), 22) + row.got + "\n"
        }
        XCTFail("\(failed.count) of \(rows.count) rows differ:\(table)", file: file, line: line)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}

/// One line of a rules table: nil means the request must succeed.
struct RuleRow {
    let operation: String
    let signer: String
    let expected: ErrorCode?
    let got: String

    var passed: Bool { got == Self.describe(expected) }

    static func describe(_ code: ErrorCode?) -> String {
        code.map { $0.name } ?? "allowed"
    }
}
