import CLinux
import Glibc

/// The readiness bits the reactor asks epoll for and reads back.
struct EpollEvents: OptionSet, Equatable {
    let rawValue: UInt32

    static let readable = EpollEvents(rawValue: EPOLLIN.rawValue)
    static let writable = EpollEvents(rawValue: EPOLLOUT.rawValue)
    static let hangup = EpollEvents(rawValue: EPOLLHUP.rawValue)
    static let error = EpollEvents(rawValue: EPOLLERR.rawValue)
}

/// An epoll instance and the buffer its waits fill. Owned and used by one loop thread.
final class Epoll {
    let fd: Int32
    private let events: UnsafeMutableBufferPointer<epoll_event>

    init(capacity: Int) throws(ReactorError) {
        let flags = Int32(EPOLL_CLOEXEC)
        fd = try Syscall.blocking("epoll_create1") { epoll_create1(flags) }
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        Syscall.close(fd)
    }

    /// Starts watching `target` for `interest`; `tag` comes back with each event.
    func add(_ target: Int32, interest: EpollEvents, tag: UInt64) throws(ReactorError) {
        try control(EPOLL_CTL_ADD, "epoll_ctl(ADD)", target, interest, tag)
    }

    func modify(_ target: Int32, interest: EpollEvents, tag: UInt64) throws(ReactorError) {
        try control(EPOLL_CTL_MOD, "epoll_ctl(MOD)", target, interest, tag)
    }

    func remove(_ target: Int32) throws(ReactorError) {
        try control(EPOLL_CTL_DEL, "epoll_ctl(DEL)", target, [], 0)
    }

    private func control(
        _ operation: Int32, _ name: String, _ target: Int32, _ interest: EpollEvents,
        _ tag: UInt64
    ) throws(ReactorError) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.u64 = tag
        let epollFD = fd
        _ = try Syscall.blocking(name) { epoll_ctl(epollFD, operation, target, &event) }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever); returns how many events arrived.
    func wait(timeoutMilliseconds: Int32) throws(ReactorError) -> Int {
        let epollFD = fd
        let buffer = events
        let count = try Syscall.blocking("epoll_wait") {
            epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        return Int(count)
    }

    /// The tag and readiness of the `index`th event of the last wait.
    func event(at index: Int) -> (tag: UInt64, events: EpollEvents) {
        let event = events[index]
        return (event.data.u64, EpollEvents(rawValue: event.events))
    }
}

/// An eventfd counter used to wake a thread: a write makes it readable until read.
final class EventCounter: Sendable {
    let fd: Int32

    init() throws(ReactorError) {
        let flags = Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)
        fd = try Syscall.blocking("eventfd") { eventfd(0, flags) }
    }

    deinit {
        Syscall.close(fd)
    }

    /// Adds one. A full counter (EAGAIN) is already readable, which is all a signal needs.
    func signal() {
        var one: UInt64 = 1
        _ = try? withUnsafeBytes(of: &one) { (raw) throws(ReactorError) in
            try Syscall.write(fd, raw)
        }
    }

    /// Reads the counter back to zero, so the descriptor stops being readable.
    func reset() {
        var value: UInt64 = 0
        _ = try? withUnsafeMutableBytes(of: &value) { (raw) throws(ReactorError) in
            try Syscall.read(fd, into: raw)
        }
    }

    /// Blocks the calling thread until the counter is non-zero, without consuming it, so
    /// any number of threads can wait for the same signal.
    func waitUntilSignalled() {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&request, 1, -1)
            if result > 0 {
                return
            }
            precondition(result == 0 || errno == EINTR, "poll on an eventfd failed")
        }
    }
}
