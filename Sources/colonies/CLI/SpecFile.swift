import Foundation

/// Why a JSON spec file was refused. Messages name the file and the field:
/// "process_spec.json: field 'conditions.mem' must be an integer".
enum SpecError: Error, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case notJSON(file: String, reason: String)
    case notAnObject(file: String, field: String?)
    case missingField(file: String, field: String)
    case unknownField(file: String, field: String, known: [String])
    case wrongType(file: String, field: String, expected: String)
    case outOfRange(file: String, field: String, reason: String)

    var message: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .notJSON(let file, let reason):
            return "\(file): not valid JSON: \(reason)"
        case .notAnObject(let file, nil):
            return "\(file): must hold a JSON object ({...})"
        case .notAnObject(let file, let field?):
            return "\(file): field '\(field)' must be an object"
        case .missingField(let file, let field):
            return "\(file): field '\(field)' is missing"
        case .unknownField(let file, let field, let known):
            return "\(file): unknown field '\(field)' (known: \(known.joined(separator: ", ")))"
        case .wrongType(let file, let field, let expected):
            return "\(file): field '\(field)' must be \(expected)"
        case .outOfRange(let file, let field, let reason):
            return "\(file): field '\(field)' \(reason)"
        }
    }
}

/// A JSON object read from a spec file, with accessors that check each field's type and
/// report mistakes by file and dotted field name. A JSON null counts as an absent field.
struct SpecObject {
    /// The file name as the user gave it, for messages.
    let file: String
    /// The dotted path of this object inside the file; empty for the top level.
    let path: String
    /// The fields as JSONSerialization read them.
    let fields: [String: Any]

    /// Reads and parses a JSON file whose top level is an object.
    static func load(path: String) throws(SpecError) -> SpecObject {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: describe(error))
        }
        return try SpecObject(json: data, file: path)
    }

    /// Parses JSON text whose top level is an object; `file` names it in messages.
    init(json data: Data, file: String) throws(SpecError) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .notJSON(file: file, reason: Self.describe(error))
        }
        guard let fields = parsed as? [String: Any] else {
            throw .notAnObject(file: file, field: nil)
        }
        self.init(file: file, path: "", fields: fields)
    }

    init(file: String, path: String, fields: [String: Any]) {
        self.file = file
        self.path = path
        self.fields = fields
    }

    /// The full dotted name of a field of this object, as messages show it.
    func name(_ field: String) -> String { path.isEmpty ? field : path + "." + field }

    /// Refuses fields that are not in `known`, naming the first one in sorted order, so that
    /// a misspelt field is reported rather than silently ignored.
    func requireOnly(_ known: Set<String>) throws(SpecError) {
        guard let extra = fields.keys.filter({ !known.contains($0) }).sorted().first else {
            return
        }
        throw .unknownField(file: file, field: name(extra), known: known.sorted())
    }

    // MARK: Typed accessors. Each returns nil for an absent field and throws for a wrong type.

    func string(_ field: String) throws(SpecError) -> String? {
        guard let value = present(field) else { return nil }
        guard let text = value as? String else { throw wrongType(field, "a string") }
        return text
    }

    /// An integer; a number with a fraction, a boolean or one beyond 64 bits is refused.
    func int(_ field: String) throws(SpecError) -> Int? {
        guard let value = present(field) else { return nil }
        guard let number = Self.integer(value) else { throw wrongType(field, "an integer") }
        return number
    }

    func bool(_ field: String) throws(SpecError) -> Bool? {
        guard let value = present(field) else { return nil }
        guard Self.isBoolean(value), let flag = value as? Bool else {
            throw wrongType(field, "true or false")
        }
        return flag
    }

    func double(_ field: String) throws(SpecError) -> Double? {
        guard let value = present(field) else { return nil }
        guard !Self.isBoolean(value), let number = value as? NSNumber else {
            throw wrongType(field, "a number")
        }
        return number.doubleValue
    }

    /// An array of strings; a wrong element is named by index: `args[1]`.
    func strings(_ field: String) throws(SpecError) -> [String]? {
        guard let value = present(field) else { return nil }
        guard let items = value as? [Any] else { throw wrongType(field, "an array of strings") }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item as? String else {
                throw wrongType("\(field)[\(index)]", "a string")
            }
            out.append(text)
        }
        return out
    }

    /// An object whose values are all strings, such as an environment.
    func stringMap(_ field: String) throws(SpecError) -> [String: String]? {
        guard let inner = try object(field) else { return nil }
        var out: [String: String] = [:]
        for key in inner.fields.keys.sorted() {
            guard let text = try inner.string(key) else { throw inner.wrongType(key, "a string") }
            out[key] = text
        }
        return out
    }

    /// A nested object, whose own accessors report fields as `outer.inner`.
    func object(_ field: String) throws(SpecError) -> SpecObject? {
        guard let value = present(field) else { return nil }
        guard let inner = value as? [String: Any] else {
            throw .notAnObject(file: file, field: name(field))
        }
        return SpecObject(file: file, path: name(field), fields: inner)
    }

    /// Unwraps a field that must be present: `try spec.require("name", spec.string("name"))`.
    func require<T>(_ field: String, _ value: T?) throws(SpecError) -> T {
        guard let value else { throw .missingField(file: file, field: name(field)) }
        return value
    }

    /// Refuses an integer outside `range`.
    func check(_ field: String, _ value: Int, in range: ClosedRange<Int>) throws(SpecError) {
        guard range.contains(value) else {
            let reason = "must be in \(range.lowerBound)...\(range.upperBound), got \(value)"
            throw .outOfRange(file: file, field: name(field), reason: reason)
        }
    }

    private func present(_ field: String) -> Any? {
        guard let value = fields[field], !(value is NSNull) else { return nil }
        return value
    }

    private func wrongType(_ field: String, _ expected: String) -> SpecError {
        .wrongType(file: file, field: name(field), expected: expected)
    }

    // JSONSerialization gives every number as an NSNumber, and `as? Bool` accepts 0 and 1;
    // the Objective-C type code tells a JSON true/false ("c") from a number.
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, !(value is NSDecimalNumber) else { return nil }
        switch String(cString: number.objCType) {
        case "c", "d", "f": return nil
        default: return number as? Int
        }
    }

    private static func describe(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        if let detail = (error as NSError).userInfo["NSDebugDescription"] as? String {
            return detail
        }
        return text
    }
}
