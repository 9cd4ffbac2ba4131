import XCTest

@testable import colonies

final class TableTests: XCTestCase {
    func testColumnsAlignUnderTheHeaderWithoutTrailingBlanks() {
        var table = Table(["ID", "NAME", "CORES"], alignments: [.left, .left, .right])
        table.append(["a1", "edge-node-17", "4"])
        table.append(["b22", "pi", "128"])

        XCTAssertEqual(table.lines(), [
            "ID   NAME          CORES",
            "a1   edge-node-17      4",
            "b22  pi              128",
        ])
    }

    func testAnEmptyTableIsJustItsHeader() {
        XCTAssertEqual(Table(["ID", "NAME"]).render(), "ID  NAME")
    }

    func testJSONOutputSortsKeys() throws {
        let text = try JSONOutput.render(["b": 1, "a": ["z": true, "y": "x/y"]])

        XCTAssertEqual(
            text.filter { !$0.isWhitespace },
            #"{"a":{"y":"x/y","z":true},"b":1}"#)
    }
}
