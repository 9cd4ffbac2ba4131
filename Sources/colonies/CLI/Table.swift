/// A listing printed as aligned columns under a header, for people to read. Scripts use
/// `--json` instead, so the layout may change.
///
/// Widths count characters, so text with double-width characters will not line up.
struct Table {
    /// How a column's cells sit in its width.
    enum Alignment: Sendable {
        case left
        /// For numbers, so that digits line up.
        case right
    }

    let headers: [String]
    let alignments: [Alignment]
    private(set) var rows: [[String]] = []

    /// A table with these column headers; columns are left-aligned unless told otherwise.
    init(_ headers: [String], alignments: [Alignment]? = nil) {
        precondition(alignments == nil || alignments!.count == headers.count,
            "one alignment per column")
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    /// Adds a row; it must have one cell per column.
    mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs \(headers.count) cells")
        rows.append(row)
    }

    /// The table as lines: the header, then one line per row, columns two spaces apart and
    /// no trailing blanks.
    func lines() -> [String] {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return ([headers] + rows).map { line(of: $0, widths: widths) }
    }

    /// The table as one string of lines joined by newlines.
    func render() -> String { lines().joined(separator: "\n") }

    private func line(of cells: [String], widths: [Int]) -> String {
        var out = ""
        for (column, cell) in cells.enumerated() {
            let pad = String(repeating: " ", count: widths[column] - cell.count)
            let isLast = column == cells.count - 1
            if column > 0 { out += "  " }
            switch alignments[column] {
            case .left: out += isLast ? cell : cell + pad
            case .right: out += pad + cell
            }
        }
        return out
    }
}
