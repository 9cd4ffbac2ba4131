import Wire

/// The bytes a child wrote to one stream: the first `limit` of them kept, all of them
/// counted. Reading goes on past the limit so that a chatty child never blocks on a full pipe.
struct OutputCapture {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    /// Every byte written, kept or not.
    private(set) var total = 0

    init(limit: Int = Limits.maxAttributeValue) {
        self.limit = limit
    }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        total += chunk.count
        let room = limit - bytes.count
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    /// Whether bytes were dropped.
    var isCut: Bool { total > bytes.count }

    /// The capture as an attribute value: valid UTF-8 of at most `limit` bytes.
    ///
    /// Bytes that are not UTF-8 become U+FFFD; one trailing newline is removed. When the
    /// output did not fit (too many bytes, or too many once invalid bytes were replaced),
    /// it is cut on a character boundary and ends with `AttributeText.cutMarker`.
    var attributeText: String {
        AttributeText.make(bytes[...], total: total, limit: limit)
    }
}

/// Turns raw output into attribute text; see `OutputCapture.attributeText`.
enum AttributeText {
    /// The line that ends a cut value; the help text of `worker start` quotes it.
    static func cutMarker(total: Int) -> String {
        "\n[cut: the output had \(total) bytes]"
    }

    static func make(_ raw: ArraySlice<UInt8>, total: Int, limit: Int) -> String {
        let dropped = total > raw.count
        var kept = raw
        if dropped {
            // The cut may have split a character; its lead bytes alone would become U+FFFD.
            kept = withoutPartialTail(kept)
        } else if kept.last == UInt8(ascii: "\n") {
            kept = kept.dropLast()
        }

        let text = String(decoding: kept, as: UTF8.self)
        if !dropped && text.utf8.count <= limit { return text }
        let marker = cutMarker(total: total)
        return prefix(of: text, bytes: max(0, limit - marker.utf8.count)) + marker
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes ending on a scalar.
    static func prefix(of text: String, bytes: Int) -> String {
        var used = 0
        var end = text.unicodeScalars.startIndex
        for index in text.unicodeScalars.indices {
            let size = UTF8.width(text.unicodeScalars[index])
            guard used + size <= bytes else { break }
            used += size
            end = text.unicodeScalars.index(after: index)
        }
        return String(text.unicodeScalars[..<end])
    }

    /// `bytes` without a multi-byte sequence that starts near its end but is not complete.
    static func withoutPartialTail(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        // A UTF-8 sequence is at most 4 bytes, so its lead byte is among the last 4.
        var index = bytes.endIndex
        var looked = 0
        while index > bytes.startIndex && looked < 4 {
            index -= 1
            looked += 1
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 { continue }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > bytes.endIndex - index ? bytes[..<index] : bytes
        }
        return bytes
    }
}
