import Foundation
import Glibc

/// Files only their owner may read, in a folder only its owner may enter: the keychain's
/// storage. The libc calls for it are in this file.
enum PrivateFile {
    /// Why a private file or folder could not be used.
    enum Failure: Error, Equatable, Sendable {
        case notFound(path: String)
        case notAFolder(path: String)
        /// Group or others have access; `mode` holds the permission bits found.
        case notPrivate(path: String, mode: UInt32)
        /// A libc call failed; `reason` is strerror's text.
        case system(call: String, path: String, reason: String)
    }

    static let fileMode: mode_t = 0o600
    static let folderMode: mode_t = 0o700

    /// Creates the folder (mode 0700) if it is missing, and refuses one that group or
    /// others can reach, rather than changing the mode of a folder someone chose.
    static func prepareFolder(_ path: String) throws(Failure) {
        if mkdir(path, folderMode) != 0 && errno != EEXIST {
            throw failure("mkdir", path)
        }
        try checkFolder(path)
    }

    /// Checks that the folder exists and is private.
    static func checkFolder(_ path: String) throws(Failure) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw failure("stat", path)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notAFolder(path: path) }
        guard info.st_mode & 0o077 == 0 else {
            throw .notPrivate(path: path, mode: UInt32(info.st_mode & 0o777))
        }
    }

    /// Replaces the file at `path` with `bytes`, mode 0600. The bytes go to a temporary
    /// file in the same folder first and are renamed into place, so a crash leaves the old
    /// file or the new one, never half of one.
    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = folder + "/." + name + ".tmp-\(getpid())"

        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW
        let fd = open(temporary, flags, fileMode)
        guard fd >= 0 else { throw failure("open", temporary) }
        do throws(Failure) {
            // The umask may have removed bits but never adds any; make the mode exact.
            guard fchmod(fd, fileMode) == 0 else { throw failure("fchmod", temporary) }
            try writeAll(bytes, fd: fd, path: temporary)
            guard fsync(fd) == 0 else { throw failure("fsync", temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)

        guard rename(temporary, path) == 0 else {
            let error = failure("rename", path)
            unlink(temporary)
            throw error
        }
    }

    /// Reads a whole file, refusing one that group or others can read.
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw failure("open", path)
        }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("fstat", path) }
        guard info.st_mode & 0o077 == 0 else {
            throw .notPrivate(path: path, mode: UInt32(info.st_mode & 0o777))
        }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("read", path) }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        PassphraseSeal.wipe(&chunk)
        return bytes
    }

    /// The names in a folder, without `.` and `..`.
    static func names(in folder: String) throws(Failure) -> [String] {
        guard let dir = opendir(folder) else {
            if errno == ENOENT { throw .notFound(path: folder) }
            throw failure("opendir", folder)
        }
        defer { closedir(dir) }

        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The permission bits of a file, or nil if it cannot be examined.
    static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o777)
    }

    private static func writeAll(_ bytes: [UInt8], fd: Int32, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { rest in
                Glibc.write(fd, rest.baseAddress, rest.count)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("write", path) }
            offset += count
        }
    }

    private static func failure(_ call: String, _ path: String) -> Failure {
        .system(call: call, path: path, reason: String(cString: strerror(errno)))
    }
}
