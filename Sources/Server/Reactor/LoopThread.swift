import CLinux
import Glibc

/// A joinable POSIX thread that runs one closure.
final class LoopThread: @unchecked Sendable {
    // Written once by `spawn` before any other thread can see the object.
    private var handle = pthread_t()

    private init() {}

    /// Starts a thread named `name` (the kernel keeps 15 bytes) running `body`.
    static func spawn(
        name: String, _ body: @escaping @Sendable () -> Void
    ) throws(ReactorError) -> LoopThread {
        let thread = LoopThread()
        let box = Unmanaged.passRetained(ThreadStart(name: name, body: body))
        let result = pthread_create(&thread.handle, nil, { argument in
            let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
            _ = clinux_name_thread(start.name)
            start.body()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw .system(call: "pthread_create", errno: result)
        }
        return thread
    }

    /// Waits for the thread to finish. Call once, from another thread.
    func join() {
        let result = pthread_join(handle, nil)
        precondition(result == 0, "pthread_join failed with \(result)")
    }

    /// An opaque number naming the calling thread, for confinement checks.
    static var currentID: UInt {
        UInt(pthread_self())
    }
}

/// What a new thread receives through its single pointer argument.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
