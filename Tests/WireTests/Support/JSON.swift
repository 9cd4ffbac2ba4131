/// A JSON value that keeps the order of object members and writes integers exactly.
///
/// The vector files are written and read with this small codec rather than Foundation's so
/// that the bytes on disk depend on nothing but this file: members stay in wire order, and
/// 64-bit integers (nanosecond times, u64 sizes) never pass through a Double.
enum JSON: Equatable {
    case null
    case bool(Bool)
    /// An integer, kept as its decimal text.
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func int<I: BinaryInteger>(_ v: I) -> JSON { .number(String(v)) }

    static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var array: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var int64: Int64? {
        if case .number(let n) = self { return Int64(n) }
        return nil
    }

    var uint64: UInt64? {
        if case .number(let n) = self { return UInt64(n) }
        return nil
    }
}

// MARK: - Writing

extension JSON {
    /// Pretty text with two-space indents; arrays of scalars stay on one line when short.
    func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            writeArray(items, to: &out, indent: indent)
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            let pad = String(repeating: " ", count: indent + 2)
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += pad
                JSON.quote(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent + 2)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    private func writeArray(_ items: [JSON], to out: inout String, indent: Int) {
        guard !items.isEmpty else {
            out += "[]"
            return
        }
        if items.allSatisfy(\.isScalar) {
            var line = "["
            for (i, item) in items.enumerated() {
                if i > 0 { line += ", " }
                item.write(to: &line, indent: 0)
            }
            line += "]"
            if line.count + indent <= 96 {
                out += line
                return
            }
        }
        let pad = String(repeating: " ", count: indent + 2)
        out += "[\n"
        for (i, item) in items.enumerated() {
            out += pad
            item.write(to: &out, indent: indent + 2)
            out += i == items.count - 1 ? "\n" : ",\n"
        }
        out += String(repeating: " ", count: indent) + "]"
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

// MARK: - Reading

struct JSONSyntaxError: Error, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "JSON syntax error at byte \(offset): \(reason)" }
}

extension JSON {
    /// Parses a JSON document. Numbers must be integers: the vector files hold no others.
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
        var p = Parser(bytes: Array(text.utf8))
        let value = try p.value()
        p.skipSpace()
        guard p.at == p.bytes.count else { throw p.fail("text after the document") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        func fail(_ reason: String) -> JSONSyntaxError {
            JSONSyntaxError(offset: at, reason: reason)
        }

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[at]) { at += 1 }
        }

        mutating func expect(_ word: String) throws(JSONSyntaxError) {
            for b in word.utf8 {
                guard at < bytes.count, bytes[at] == b else { throw fail("expected \(word)") }
                at += 1
            }
        }

        mutating func value() throws(JSONSyntaxError) -> JSON {
            skipSpace()
            guard at < bytes.count else { throw fail("unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default: return try number()
            }
        }

        mutating func object() throws(JSONSyntaxError) -> JSON {
            at += 1
            var members: [(String, JSON)] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object([])
            }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(":")
                members.append((key, try value()))
                skipSpace()
                guard at < bytes.count else { throw fail("unterminated object") }
                at += 1
                if bytes[at - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[at - 1] == UInt8(ascii: ",") else { throw fail("expected , or }") }
            }
        }

        mutating func array() throws(JSONSyntaxError) -> JSON {
            at += 1
            var items: [JSON] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array([])
            }
            while true {
                items.append(try value())
                skipSpace()
                guard at < bytes.count else { throw fail("unterminated array") }
                at += 1
                if bytes[at - 1] == UInt8(ascii: "]") { return .array(items) }
                guard bytes[at - 1] == UInt8(ascii: ",") else { throw fail("expected , or ]") }
            }
        }

        mutating func number() throws(JSONSyntaxError) -> JSON {
            let start = at
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            guard !text.isEmpty, text != "-" else { throw fail("expected a value") }
            return .number(text)
        }

        mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
            guard at + 4 <= bytes.count,
                let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            at += 4
            return v
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else {
                throw fail("expected a string")
            }
            at += 1
            var out: [UInt8] = []
            while true {
                guard at < bytes.count else { throw fail("unterminated string") }
                let b = bytes[at]
                at += 1
                if b == UInt8(ascii: "\"") { break }
                guard b == UInt8(ascii: "\\") else {
                    out.append(b)
                    continue
                }
                guard at < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if v >= 0xd800 && v < 0xdc00 {
                        try expect("\\u")
                        let low = try hex4()
                        v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00)
                    }
                    guard let scalar = Unicode.Scalar(v) else { throw fail("bad code point") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(e)
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("bad UTF-8") }
            return s
        }
    }
}
