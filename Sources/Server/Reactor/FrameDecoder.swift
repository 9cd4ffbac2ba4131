/// Splits a byte stream into frames, each a 4-byte big-endian length L followed by L bytes.
///
/// Frames that arrive whole in one chunk are handed on as slices of that chunk, without a
/// copy. Only a frame split across reads, or frames held back because the consumer asked
/// to stop, are copied into the decoder's own stash, which is released as soon as it
/// empties, so an idle connection holds no buffer at all.
struct FrameDecoder {
    /// How the bytes given to `feed` were used.
    enum Outcome: Equatable {
        /// Every complete frame was delivered; a partial frame may remain stashed.
        case drained
        /// `deliver` returned false; the undelivered bytes are stashed for a later `feed`.
        case stopped
        /// A length prefix exceeded the limit; the stream cannot be resynchronised.
        case oversized(length: Int)
    }

    static let prefixLength = 4

    private var stash: [UInt8] = []
    private var stashStart = 0

    /// Bytes received but not yet delivered.
    var bufferedByteCount: Int {
        stash.count - stashStart
    }

    /// Reserved stash memory, for tests that check buffers shrink back.
    var stashCapacity: Int {
        stash.capacity
    }

    /// Delivers the complete frames in what was stashed and then in `chunk`, in order.
    ///
    /// `deliver` gets each frame's payload (the bytes after the prefix) and returns whether
    /// to go on. Feeding an empty chunk resumes delivery of stashed frames after a stop.
    mutating func feed(
        _ chunk: ArraySlice<UInt8>, maxLength: Int,
        deliver: (ArraySlice<UInt8>) -> Bool
    ) -> Outcome {
        var input = chunk
        if bufferedByteCount > 0 {
            let outcome = drainStash(&input, maxLength: maxLength, deliver: deliver)
            if outcome != .drained || bufferedByteCount > 0 {
                if outcome == .stopped {
                    keep(input)
                }
                return outcome
            }
        }
        return parse(&input, maxLength: maxLength, deliver: deliver)
    }

    /// Forgets everything buffered, releasing its memory.
    mutating func reset() {
        stash = []
        stashStart = 0
    }

    /// Completes and delivers the stashed frames, taking bytes from `input` as needed.
    private mutating func drainStash(
        _ input: inout ArraySlice<UInt8>, maxLength: Int,
        deliver: (ArraySlice<UInt8>) -> Bool
    ) -> Outcome {
        while bufferedByteCount > 0 {
            take(Self.prefixLength - bufferedByteCount, from: &input)
            guard bufferedByteCount >= Self.prefixLength else {
                return .drained
            }

            let length = Self.length(in: stash, at: stashStart)
            guard length <= maxLength else {
                return .oversized(length: length)
            }
            take(Self.prefixLength + length - bufferedByteCount, from: &input)
            guard bufferedByteCount >= Self.prefixLength + length else {
                return .drained
            }

            let start = stashStart + Self.prefixLength
            let frame = stash[start..<start + length]
            stashStart = start + length
            if stashStart == stash.count {
                // Dropping our reference first leaves the frame's storage to the consumer,
                // and gives back the memory of a large frame at once.
                reset()
            }
            guard deliver(frame) else {
                return .stopped
            }
        }
        return .drained
    }

    /// Delivers frames straight out of `input`, stashing whatever is left.
    private mutating func parse(
        _ input: inout ArraySlice<UInt8>, maxLength: Int,
        deliver: (ArraySlice<UInt8>) -> Bool
    ) -> Outcome {
        while input.count >= Self.prefixLength {
            let length = Self.length(in: input, at: input.startIndex)
            guard length <= maxLength else {
                return .oversized(length: length)
            }
            let start = input.startIndex + Self.prefixLength
            guard input.endIndex - start >= length else {
                break
            }

            let frame = input[start..<start + length]
            input = input[(start + length)...]
            guard deliver(frame) else {
                keep(input)
                return .stopped
            }
        }
        keep(input)
        return .drained
    }

    /// Moves up to `count` bytes from the front of `input` to the stash.
    private mutating func take(_ count: Int, from input: inout ArraySlice<UInt8>) {
        guard count > 0, !input.isEmpty else {
            return
        }
        let end = input.startIndex + min(count, input.count)
        stash.append(contentsOf: input[..<end])
        input = input[end...]
    }

    /// Appends the rest of `input` to the stash, first dropping delivered bytes.
    private mutating func keep(_ input: ArraySlice<UInt8>) {
        guard !input.isEmpty else {
            return
        }
        if stashStart > 0 {
            stash.removeSubrange(0..<stashStart)
            stashStart = 0
        }
        stash.append(contentsOf: input)
    }

    private static func length<Bytes: RandomAccessCollection<UInt8>>(
        in bytes: Bytes, at index: Bytes.Index
    ) -> Int {
        var value = 0
        var position = index
        for _ in 0..<prefixLength {
            value = value << 8 | Int(bytes[position])
            position = bytes.index(after: position)
        }
        return value
    }
}
