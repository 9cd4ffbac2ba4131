/// The bytes queued for one connection, written front to back.
///
/// One contiguous array with a read offset: sends append (a frame gets its length prefix
/// here), writes consume from the front. Memory beyond a small allowance is given back once
/// the buffer drains, so a connection that once sent a large reply does not keep it.
struct OutboundBuffer {
    /// Capacity kept after draining; anything larger is released.
    static let retainedCapacity = 1024

    private var bytes: [UInt8] = []
    private var head = 0

    /// Bytes queued and not yet written.
    var count: Int {
        bytes.count - head
    }

    var isEmpty: Bool {
        head == bytes.count
    }

    /// Reserved memory, for tests that check buffers shrink back.
    var capacity: Int {
        bytes.capacity
    }

    /// Queues `payload` behind a 4-byte big-endian length prefix.
    mutating func appendFrame<Payload: Collection<UInt8>>(_ payload: Payload) {
        let length = UInt32(payload.count)
        compactIfWorthwhile()
        bytes.append(UInt8(truncatingIfNeeded: length >> 24))
        bytes.append(UInt8(truncatingIfNeeded: length >> 16))
        bytes.append(UInt8(truncatingIfNeeded: length >> 8))
        bytes.append(UInt8(truncatingIfNeeded: length))
        bytes.append(contentsOf: payload)
    }

    /// Queues bytes exactly as given.
    mutating func appendRaw<Bytes: Collection<UInt8>>(_ raw: Bytes) {
        compactIfWorthwhile()
        bytes.append(contentsOf: raw)
    }

    /// Writes as much as the socket takes. Returns the number of bytes written; the buffer
    /// is empty afterwards unless the socket would have blocked.
    mutating func write(to fd: Int32) throws(ReactorError) -> Int {
        var written = 0
        while head < bytes.count {
            let start = head
            let result = bytes.withUnsafeBytes { raw in
                Result { () throws(ReactorError) in
                    try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: raw[start...]))
                }
            }
            guard case .processed(let count) = try result.get(), count > 0 else {
                break
            }
            head += count
            written += count
        }

        if head == bytes.count {
            releaseDrained()
        }
        return written
    }

    /// Forgets everything queued, releasing its memory.
    mutating func reset() {
        bytes = []
        head = 0
    }

    private mutating func releaseDrained() {
        if bytes.capacity > Self.retainedCapacity {
            bytes = []
        } else {
            bytes.removeAll(keepingCapacity: true)
        }
        head = 0
    }

    /// Drops written bytes once they make up at least half the array, so the move costs
    /// no more than the appends that filled it.
    private mutating func compactIfWorthwhile() {
        if head > 0 && head >= bytes.count / 2 {
            bytes.removeSubrange(0..<head)
            head = 0
        }
    }
}
