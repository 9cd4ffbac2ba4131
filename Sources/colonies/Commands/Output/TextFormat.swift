import Foundation

/// One object printed for people as `Label:  value` lines, the values lined up.
struct FieldList {
    private var rows: [(label: String, value: String)] = []

    mutating func add(_ label: String, _ value: String) {
        rows.append((label, value))
    }

    func lines() -> [String] {
        let width = (rows.map(\.label.count).max() ?? 0) + 1
        return rows.map { row in
            let label = row.label + ":"
            let pad = String(repeating: " ", count: width - label.count + 2)
            return row.value.isEmpty ? label : label + pad + row.value
        }
    }
}

/// Small pieces of text output shared by the client commands.
enum TextFormat {
    /// Arguments as a shell would need them typed: plain words as they are, others in
    /// single quotes, so that `a b` and `"a b"` can be told apart.
    static func arguments(_ args: [String]) -> String {
        args.map(quoted).joined(separator: " ")
    }

    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "-_./:=,+@%".unicodeScalars.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Text cut to `limit` characters, ending in "..." when cut, with control characters
    /// shown as escapes so that one value stays on one line of a table.
    static func cell(_ text: String, limit: Int = 40) -> String {
        let oneLine = escaped(text)
        guard oneLine.count > limit else { return oneLine }
        return String(oneLine.prefix(max(0, limit - 3))) + "..."
    }

    /// Control characters as `\n`, `\t` or `\u{..}`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A number of seconds from a spec, where -1 means no limit.
    static func seconds(_ value: Int32) -> String {
        value < 0 ? "no limit" : "\(value) s"
    }
}
