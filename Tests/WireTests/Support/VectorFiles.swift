import Foundation
import Wire

/// Where the vectors live and what the generator writes there.
enum VectorFiles {
    /// The package root, found from this file's path so that the side packages that link
    /// Tests/WireTests (symbolic links) still find the real tree.
    static var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // WireTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }

    static var directory: URL { root.appendingPathComponent("spec/vectors") }
    static var specification: URL { root.appendingPathComponent("spec/PROTOCOL.md") }

    static let examplesBegin = "<!-- BEGIN GENERATED EXAMPLES (section 15) -->"
    static let examplesEnd = "<!-- END GENERATED EXAMPLES -->"

    /// Every file the generator owns and the text it must hold.
    static func generated() throws -> [(url: URL, text: String)] {
        let requests = try VectorCatalog.requests()
        let server = try VectorCatalog.serverFrames()
        var files = [
            (
                directory.appendingPathComponent("requests.json"),
                document(
                    kind: "requests", about: requestsAbout, vectors: requests.map(\.json))
            ),
            (
                directory.appendingPathComponent("server-frames.json"),
                document(
                    kind: "server-frames", about: serverAbout, vectors: server.map(\.json))
            ),
            (
                directory.appendingPathComponent("invalid-frames.json"),
                document(
                    kind: "invalid-frames", about: invalidAbout,
                    vectors: VectorCatalog.invalidCases.map(\.json))
            ),
        ]
        files.append((specification, try specificationText(requests: requests, server: server)))
        return files
    }

    private static func document(kind: String, about: String, vectors: [JSON]) -> String {
        JSON.object([
            ("about", .string(about)), ("kind", .string(kind)),
            (
                "generated_by",
                .string("COLONIES_WRITE_VECTORS=1 swift test --filter VectorGenerationTests")
            ),
            ("vectors", .array(vectors)),
        ]).rendered()
    }

    private static let requestsAbout = """
        One valid request of every type. Each frame is hex, length prefix included. A server \
        whose hello carried `challenge` reads it as follows: it parses the frame, checks it \
        (type, signature, sequence, body) with no earlier sequence on the connection, \
        recovers `signer` from `signature` over `digest`, and decodes the body to `fields`. \
        Encoding `fields` again and signing with `signer_private_key` gives the same bytes. \
        Ids are lower-case hex; integers are exact (64-bit values exceed 2^53).
        """

    private static let serverAbout = """
        Valid frames a server sends: the hello, a reply to every request type (two for \
        assign: with and without a process), an error and an event. Server frames are \
        never signed. A client reads the type byte: \
        0x01 hello, 0x7f error, 0x7e event, and otherwise a reply (bit 0x80 set) whose body \
        follows from its request's type. Decoding `body` gives `fields`; encoding `fields` \
        gives `body` again.
        """

    private static let invalidAbout = """
        Frames that must be refused, each with the error code it must produce. Direction \
        `request`: a server reads the frame on a connection whose hello carried `challenge` \
        and that has accepted requests up to `last_sequence` (0: none yet). Direction \
        `server`: a client reads a frame from the server. A frame that ends early is what a \
        peer sent before closing the connection. Each frame has one defect; signed ones carry \
        a real signature over their bytes, so the defect named is the only one.
        """

    // MARK: The specification's examples

    private static func specificationText(
        requests: [GeneratedVector], server: [GeneratedVector]
    ) throws -> String {
        let text = try String(contentsOf: specification, encoding: .utf8)
        guard let begin = text.range(of: examplesBegin), let end = text.range(of: examplesEnd),
            begin.upperBound <= end.lowerBound
        else {
            throw VectorError("spec/PROTOCOL.md has no generated-examples markers")
        }
        var section = "\n"
        section += "### Requests\n\n"
        for v in requests { section += example(v, file: "requests.json") }
        section += "### Server frames\n\n"
        for v in server { section += example(v, file: "server-frames.json") }
        return String(text[..<begin.upperBound]) + section + String(text[end.lowerBound...])
    }

    private static func example(_ v: GeneratedVector, file: String) -> String {
        var out = "#### \(v.title)\n\n"
        out += "Vector `\(v.name)` in `vectors/\(file)`.\n\n"
        out += "```text\n"
        for line in v.annotation.rendered() { out += line + "\n" }
        out += "```\n\n"
        return out
    }
}
