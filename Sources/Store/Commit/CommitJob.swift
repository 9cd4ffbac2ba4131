/// A queued mutation with its type erased, so one batch can hold mutations returning
/// different types.
protocol CommitJob: AnyObject, Sendable {
    /// Runs the mutation; may run more than once: when its batch is retried after the map
    /// grows, or run again isolated after another mutation of the batch failed.
    func apply(_ transaction: WriteTransaction) throws(StoreError)

    /// Reports the outcome of the last run: nil when it is committed and durable.
    func finish(_ failure: StoreError?)
}

/// A mutation returning `Value`, and the callback awaiting it.
final class Mutation<Value: Sendable>: CommitJob, @unchecked Sendable {
    private let body: @Sendable (WriteTransaction) throws(StoreError) -> Value
    private let completion: @Sendable (Result<Value, StoreError>) -> Void

    // Written by `apply` and read by `finish`, both on the writer thread.
    private var value: Value?

    init(
        _ body: @escaping @Sendable (WriteTransaction) throws(StoreError) -> Value,
        completion: @escaping @Sendable (Result<Value, StoreError>) -> Void
    ) {
        self.body = body
        self.completion = completion
    }

    func apply(_ transaction: WriteTransaction) throws(StoreError) {
        value = nil
        value = try body(transaction)
    }

    func finish(_ failure: StoreError?) {
        if let failure {
            completion(.failure(failure))
        } else if let value {
            completion(.success(value))
        } else {
            preconditionFailure("a mutation reported success without having run")
        }
    }
}

/// Where a blocking `write` waits for its mutation's outcome.
final class ResultSlot<Value: Sendable>: @unchecked Sendable {
    private let monitor = Monitor()
    private var result: Result<Value, StoreError>?

    func fill(_ result: Result<Value, StoreError>) {
        monitor.withLock {
            self.result = result
            monitor.broadcast()
        }
    }

    func wait() -> Result<Value, StoreError> {
        monitor.withLock {
            monitor.wait { result != nil }
            return result!
        }
    }
}
