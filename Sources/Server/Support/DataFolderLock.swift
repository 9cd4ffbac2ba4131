import Glibc

/// An exclusive lock on a data folder, held while a server runs on it. LMDB lets several
/// processes share an environment, which is right for `colonies store check` but wrong for
/// two servers: each would schedule the same processes. The lock dies with the process.
final class DataFolderLock: Sendable {
    private let fd: Int32

    /// Creates the folder if missing (mode 0700), then takes `server.lock` inside it.
    init(path: String) throws(ServerError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw .store(.system(errno: errno, call: "mkdir \(path)"))
        }
        let file = path + "/server.lock"
        let fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .store(.system(errno: errno, call: "open \(file)")) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .dataFolderInUse(path)
        }
        self.fd = fd
    }

    /// Lets another server take the folder; called once this server has closed its store.
    func release() {
        flock(fd, LOCK_UN)
    }

    deinit {
        close(fd)
    }
}
