
/// Blocks threads until `countDown()` has been called `count` times. Once open it stays
/// open, and any number of threads may wait on it.
final class Latch: Sendable {
    private let remaining: Locked<Int>
    private let event: EventCounter

    init(count: Int) throws(ReactorError) {
        precondition(count >= 0, "a latch cannot wait for a negative count")
        remaining = Locked(count)
        event = try EventCounter()
        if count == 0 {
            event.signal()
        }
    }

    func countDown() {
        let opened = remaining.withLock { remaining in
            remaining -= 1
            return remaining == 0
        }
        if opened {
            event.signal()
        }
    }

    func wait() {
        event.waitUntilSignalled()
    }
}
