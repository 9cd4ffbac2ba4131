import Wire

/// The bytes received on one connection and not yet taken as frames.
///
/// Frames are handed out as slices of the buffer: they stay valid until the next receive
/// into it, which is all the generator needs (it reads a reply's header and, for an
/// assignment, decodes its body at once).
struct ReceiveBuffer {
    private var bytes: [UInt8] = []
    private var start = 0
    private var end = 0

    /// Makes room for at least `count` more bytes, moving unread bytes to the front first.
    mutating func reserve(_ count: Int) {
        if start == end {
            start = 0
            end = 0
        }
        guard bytes.count - end < count else { return }
        if start > 0 {
            bytes.withUnsafeMutableBufferPointer { p in
                let unread = end - start
                p.baseAddress!.update(from: p.baseAddress! + start, count: unread)
            }
            end -= start
            start = 0
        }
        if bytes.count - end < count {
            bytes.append(contentsOf: repeatElement(0, count: count))
        }
    }

    /// Calls `body` with the free space after the unread bytes.
    mutating func withFreeSpace<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        let from = end
        return bytes.withUnsafeMutableBytes { raw in
            body(UnsafeMutableRawBufferPointer(rebasing: raw[from...]))
        }
    }

    mutating func didAppend(_ count: Int) {
        end += count
    }

    /// The next whole frame, or nil when it has not all arrived yet.
    mutating func nextFrame() throws(BenchError) -> Frame? {
        do {
            guard case .complete(let total) = try FrameParser.length(of: bytes[start..<end])
            else { return nil }
            let frame = try FrameParser.parse(
                bytes[(start + FrameLayout.prefixSize)..<(start + total)])
            start += total
            return frame
        } catch {
            throw .protocolError("a malformed frame: \(error)")
        }
    }
}
