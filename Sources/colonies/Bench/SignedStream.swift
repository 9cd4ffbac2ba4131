import Foundation
import Wire

/// Frames signed ahead of time for one connection, sent in order: frame `i` carries request
/// id `firstRequestId + i` and a sequence number above frame `i - 1`'s, so the server takes
/// them as long as nothing else signed is sent on that connection between them.
struct SignedStream: Sendable {
    /// The frames back to back, length prefixes included.
    let bytes: [UInt8]
    /// Where frame `i` starts in `bytes`; one extra entry marks the end.
    let offsets: [Int]
    let firstRequestId: UInt32
    private(set) var nextIndex = 0

    var count: Int { offsets.count - 1 }
    var remaining: Int { count - nextIndex }

    /// The request id of the next frame.
    var nextRequestId: UInt32 { firstRequestId &+ UInt32(truncatingIfNeeded: nextIndex) }

    /// Takes the next frame; nil when all are spent.
    mutating func next() -> ArraySlice<UInt8>? {
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return bytes[offsets[nextIndex]..<offsets[nextIndex + 1]]
    }

    /// The index of the frame that carried `requestId`, if this stream sent it.
    func index(of requestId: UInt32) -> Int? {
        let index = Int(requestId &- firstRequestId)
        return index < nextIndex ? index : nil
    }
}

/// What to sign: `count` copies of one request for one connection.
struct SigningJob: Sendable {
    let request: Request
    let count: Int
    let key: PrivateKey
    let challenge: ID
    let firstSequence: UInt64
    let firstRequestId: UInt32

    /// Reserves the sequence numbers and request ids on `connection` and describes the work.
    init(_ request: Request, count: Int, key: PrivateKey, for connection: LoadConnection) {
        let first = connection.reserve(count)
        self.request = request
        self.count = count
        self.key = key
        self.challenge = connection.hello.challenge
        self.firstSequence = first.sequence
        self.firstRequestId = first.requestId
    }

    func sign() -> SignedStream {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(count + 1)
        for i in 0..<count {
            let frame = encoder.request(
                request, requestId: firstRequestId &+ UInt32(truncatingIfNeeded: i), key: key,
                challenge: challenge, sequence: firstSequence + UInt64(i))
            if i == 0 { bytes.reserveCapacity(frame.count * count) }
            bytes.append(contentsOf: frame)
            offsets.append(bytes.count)
        }
        return SignedStream(bytes: bytes, offsets: offsets, firstRequestId: firstRequestId)
    }
}

/// Signs many jobs on several threads; nothing is measured while it runs.
enum Presigner {
    /// The streams of `jobs`, in the same order.
    static func sign(_ jobs: [SigningJob], threads: Int) -> [SignedStream] {
        let results = ResultSlots<SignedStream>(count: jobs.count)
        let workers = max(1, min(threads, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: jobs.count, by: workers) {
                results.set(index, jobs[index].sign())
            }
        }
        return results.values()
    }
}

/// Slots that worker threads fill, each slot by one thread only.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
