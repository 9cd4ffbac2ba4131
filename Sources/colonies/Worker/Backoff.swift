/// Pauses between attempts to reach the server: 1 s, 2 s, 4 s ... up to a maximum, back to
/// 1 s after a success.
struct Backoff {
    let maxSeconds: Int
    private var nextSeconds = 1

    init(maxSeconds: Int) {
        self.maxSeconds = max(1, maxSeconds)
    }

    /// The pause before the next attempt; each call doubles the one after.
    mutating func next() -> Int {
        let pause = min(nextSeconds, maxSeconds)
        nextSeconds = min(nextSeconds * 2, maxSeconds)
        return pause
    }

    mutating func reset() {
        nextSeconds = 1
    }
}
