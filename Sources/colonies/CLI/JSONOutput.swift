import CLICore
import Foundation

/// The `--json` convention: a command that takes `CommonFlags.json` prints exactly one JSON
/// document on standard output, with sorted keys so that output is stable between runs.
enum JSONOutput {
    /// Renders dictionaries, arrays, strings, numbers, booleans and NSNull as JSON.
    static func render(_ object: Any) throws(CommandError) -> String {
        guard JSONSerialization.isValidJSONObject(object) else {
            throw .failed("internal error: the result cannot be written as JSON")
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: options)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw .failed("internal error: writing JSON failed: \(error)")
        }
    }

    /// Renders an Encodable value as JSON.
    static func render<T: Encodable>(encoding value: T) throws(CommandError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .failed("internal error: writing JSON failed: \(error)")
        }
    }

    private static let options: JSONSerialization.WritingOptions = [
        .sortedKeys, .prettyPrinted, .withoutEscapingSlashes,
    ]
}

extension Invocation {
    /// Prints `object` as JSON.
    func printJSON(_ object: Any) throws(CommandError) {
        console.write(try JSONOutput.render(object))
    }
}
