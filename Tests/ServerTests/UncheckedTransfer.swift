/// Carries a non-Sendable value to another thread where the test knows the hand-over is
/// safe: the receiving thread is then its only user, or users never overlap on it.
struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
