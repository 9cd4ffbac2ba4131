import Glibc
import Synchronization

/// A program started by `Spawner`: its pid, which is also its process group's id, and the
/// read ends of the pipes its standard output and standard error go to.
struct SpawnedChild {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32
}

/// Why a program could not be started: the failing call and its errno.
struct SpawnError: Error, Equatable, Sendable {
    let call: String
    let errno: Int32

    /// The C library's text for the errno: "Permission denied".
    var reason: String { String(cString: strerror(errno)) }
}

/// Starts programs with posix_spawn: the only place the worker builds C argument vectors.
enum Spawner {
    /// Signals a child gets back to their default action, whatever the worker does with them
    /// (the command blocks SIGINT and SIGTERM to wait for them on a thread of its own).
    private static let resetSignals = [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE]

    /// Starts the executable at `path` with `arguments` after `name` (its argv[0]) and
    /// exactly `environment` ("KEY=value" entries). Standard input reads /dev/null; standard
    /// output and error go to new pipes. The child leads a new process group, so a Ctrl-C at
    /// the worker's terminal does not reach it, and it starts with no signal blocked.
    static func spawn(
        path: String, name: String, arguments: [String], environment: [String]
    ) throws(SpawnError) -> SpawnedChild {
        // Without pipe2 (glibc hides it from Swift) a pipe gets close-on-exec a moment after
        // it is made; holding this lock from pipe to spawn keeps a program another loop
        // starts in that moment from inheriting it.
        let result = spawnLock.withLock { _ in
            Result { () throws(SpawnError) in
                try spawnLocked(
                    path: path, name: name, arguments: arguments, environment: environment)
            }
        }
        return try result.get()
    }

    private static let spawnLock = Mutex(())

    private static func spawnLocked(
        path: String, name: String, arguments: [String], environment: [String]
    ) throws(SpawnError) -> SpawnedChild {
        let output = try makePipe()
        let errors: (read: Int32, write: Int32)
        do { errors = try makePipe() } catch {
            closeBoth(output)
            throw error
        }

        let result = spawn(
            path, argv: [name] + arguments, envp: environment, stdout: output.write,
            stderr: errors.write)

        // The child has its own copies of the write ends now; ours must go so that reading
        // sees the end of output when the child (and whatever it started) is done.
        close(output.write)
        close(errors.write)
        switch result {
        case .success(let pid):
            return SpawnedChild(pid: pid, stdout: output.read, stderr: errors.read)
        case .failure(let error):
            close(output.read)
            close(errors.read)
            throw error
        }
    }

    private static func spawn(
        _ path: String, argv: [String], envp: [String], stdout: Int32, stderr: Int32
    ) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in resetSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var pid: pid_t = 0
        let status = withCStrings(argv) { argv in
            withCStrings(envp) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else { return .failure(SpawnError(call: "posix_spawn", errno: status)) }
        return .success(pid)
    }

    /// A pipe whose ends close on exec, so that no other child inherits them.
    private static func makePipe() throws(SpawnError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SpawnError(call: "pipe", errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static func closeBoth(_ pipe: (read: Int32, write: Int32)) {
        close(pipe.read)
        close(pipe.write)
    }

    /// Calls `body` with a NULL-terminated array of C copies of `strings`, freed afterwards.
    private static func withCStrings<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
