import Foundation

/// Finds the program a process's `func` names, as a shell would but without one.
enum ExecutableLookup {
    /// The search path used when the worker's environment has no PATH.
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// The file to run for `name`: `name` itself when it holds a slash, else the first
    /// executable regular file called `name` in the folders of `searchPath`. Nil if none.
    static func find(_ name: String, searchPath: String?) -> String? {
        if name.contains("/") { return isRunnable(name) ? name : nil }

        let folders = (searchPath ?? defaultSearchPath).split(separator: ":")
        for folder in folders {
            let candidate = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            if isRunnable(String(candidate)) { return String(candidate) }
        }
        return nil
    }

    private static func isRunnable(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder),
            !isFolder.boolValue
        else { return false }
        return FileManager.default.isExecutableFile(atPath: path)
    }
}
