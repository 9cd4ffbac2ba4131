import Glibc

/// How a child ended.
enum ChildTermination: Equatable, Sendable {
    /// It exited with this status.
    case exited(Int32)
    /// This signal ended it.
    case signaled(Int32)

    /// Decodes a `waitpid` status (what the C macros WIFEXITED and friends do).
    init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }

    /// The exit status, or "signal N": the value of the `exitcode` attribute.
    var description: String {
        switch self {
        case .exited(let code): "\(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}

/// Why the worker killed a child.
enum KillReason: Equatable, Sendable {
    /// It ran past its timeout.
    case timeout
    /// The worker was told to stop at once.
    case request
}

/// What a child did: how it ended, what it wrote, and whether the worker killed it.
struct ChildResult {
    var termination: ChildTermination
    var stdout: OutputCapture
    var stderr: OutputCapture
    var killed: KillReason?
}

/// Runs one program to its end, reading both of its output pipes as they fill (so that
/// neither can block it), killing it past its timeout or when asked to.
struct ChildRun {
    /// How long the program may run; nil for no limit.
    var timeout: Duration?
    /// How long after SIGTERM a program past its timeout gets SIGKILL.
    var killGrace: Duration
    /// Checked about ten times a second: true kills the program at once.
    var shouldKill: () -> Bool

    /// How often, at most, the loop looks at the clock, the child and `shouldKill`.
    private static let tick: Int32 = 100
    /// The pause between checks once both pipes are closed but the child is not yet reaped.
    private static let reapTick: Int32 = 10

    func run(
        path: String, name: String, arguments: [String], environment: [String]
    ) throws(SpawnError) -> ChildResult {
        let child = try Spawner.spawn(
            path: path, name: name, arguments: arguments, environment: environment)
        var watch = Watch(child: child)
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var forceKillAt: ContinuousClock.Instant?

        while true {
            if let status = ChildSyscalls.reap(child.pid) {
                // What it wrote before it ended is in the pipes now; anything its own
                // children write later is not waited for.
                watch.drain()
                return ChildResult(
                    termination: ChildTermination(waitStatus: status),
                    stdout: watch.stdout.capture, stderr: watch.stderr.capture,
                    killed: watch.killed)
            }

            let now = clock.now
            if watch.killed != .request && shouldKill() {
                ChildSyscalls.signalGroup(child.pid, SIGKILL)
                watch.killed = .request
                forceKillAt = nil
            } else if watch.killed == nil, let deadline, now >= deadline {
                ChildSyscalls.signalGroup(child.pid, SIGTERM)
                watch.killed = .timeout
                forceKillAt = now.advanced(by: killGrace)
            } else if let at = forceKillAt, now >= at {
                ChildSyscalls.signalGroup(child.pid, SIGKILL)
                forceKillAt = nil
            }

            watch.waitAndRead(milliseconds: watch.isOpen ? Self.tick : Self.reapTick)
        }
    }
}

/// The pipes of one child and what came out of them.
private struct Watch {
    var stdout: OutputPipe
    var stderr: OutputPipe
    var killed: KillReason?
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(child: SpawnedChild) {
        stdout = OutputPipe(fd: child.stdout)
        stderr = OutputPipe(fd: child.stderr)
    }

    var isOpen: Bool { stdout.fd != nil || stderr.fd != nil }

    /// Waits for output for at most `milliseconds`, then reads one bufferful from each pipe.
    mutating func waitAndRead(milliseconds: Int32) {
        let open = [stdout.fd, stderr.fd].compactMap { $0 }
        ChildSyscalls.waitReadable(open, milliseconds: milliseconds)
        _ = stdout.readOnce(using: &buffer)
        _ = stderr.readOnce(using: &buffer)
    }

    /// Reads what the pipes hold now, then closes them. Bounded, because something the
    /// child started may still hold a pipe open and keep writing.
    mutating func drain() {
        var rounds = 0
        while rounds < 64 && stdout.readOnce(using: &buffer) { rounds += 1 }
        rounds = 0
        while rounds < 64 && stderr.readOnce(using: &buffer) { rounds += 1 }
        stdout.close()
        stderr.close()
    }
}

/// The read end of one output pipe, until its end, and what came through it.
private struct OutputPipe {
    private(set) var fd: Int32?
    private(set) var capture = OutputCapture()

    init(fd: Int32) {
        self.fd = fd
        ChildSyscalls.setNonBlocking(fd)
    }

    /// Reads once if the pipe is open, closing it at its end; true if bytes came.
    mutating func readOnce(using buffer: inout [UInt8]) -> Bool {
        guard let open = fd else { return false }
        switch ChildSyscalls.read(open, into: &buffer) {
        case .data(let count):
            capture.append(buffer[0..<count])
            return true
        case .wouldBlock:
            return false
        case .end:
            close()
            return false
        }
    }

    mutating func close() {
        if let open = fd { ChildSyscalls.close(open) }
        fd = nil
    }
}
