import Wire

/// Private keys kept on disk, one file per id (named by the id's hex) in a folder only its
/// owner may enter. With a passphrase, keys are written sealed (see `PassphraseSeal`);
/// without one, in plain hex. Either form is read back, a sealed one only with the
/// passphrase.
struct Keychain {
    /// Names the folder; the default is `~/.colonies`.
    static let folderVariable = "COLONIES_KEYCHAIN"
    /// Holds the passphrase that seals new keys and opens sealed ones.
    static let passphraseVariable = "COLONIES_PASSPHRASE"

    let folder: String
    /// Nil means keys are saved in plain form; an empty passphrase counts as none.
    let passphrase: String?

    init(folder: String, passphrase: String? = nil) {
        self.folder = folder
        self.passphrase = passphrase?.isEmpty == true ? nil : passphrase
    }

    /// The keychain that COLONIES_KEYCHAIN (else $HOME/.colonies) and COLONIES_PASSPHRASE
    /// describe.
    init(environment: [String: String]) throws(KeychainError) {
        let folder: String
        if let named = environment[Self.folderVariable], !named.isEmpty {
            folder = named
        } else if let home = environment["HOME"], !home.isEmpty {
            folder = home + "/.colonies"
        } else {
            throw .noHome
        }
        self.init(folder: folder, passphrase: environment[Self.passphraseVariable])
    }

    /// The file that holds, or would hold, the key for `id`.
    func path(for id: ID) -> String { folder + "/" + id.hex }

    /// Writes `key` (sealed when there is a passphrase), creating the folder if needed, and
    /// returns its id. Saving a key again replaces its file, in the current form.
    @discardableResult
    func save(_ key: PrivateKey) throws(KeychainError) -> ID {
        do throws(PrivateFile.Failure) {
            try PrivateFile.prepareFolder(folder)
        } catch {
            throw .folder(error)
        }

        var bytes = try KeychainFile.encode(key, passphrase: passphrase)
        defer { PassphraseSeal.wipe(&bytes) }
        do throws(PrivateFile.Failure) {
            try PrivateFile.write(bytes, to: path(for: key.id))
        } catch {
            throw .file(error)
        }
        return key.id
    }

    /// Reads the key for `id`.
    func load(_ id: ID) throws(KeychainError) -> PrivateKey {
        do throws(PrivateFile.Failure) {
            try PrivateFile.checkFolder(folder)
        } catch .notFound {
            throw .notFound(id: id, folder: folder)
        } catch {
            throw .folder(error)
        }

        let path = path(for: id)
        var bytes: [UInt8]
        do throws(PrivateFile.Failure) {
            bytes = try PrivateFile.read(path)
        } catch .notFound {
            throw .notFound(id: id, folder: folder)
        } catch {
            throw .file(error)
        }
        defer { PassphraseSeal.wipe(&bytes) }
        return try KeychainFile.decode(bytes, path: path, expected: id, passphrase: passphrase)
    }

    /// Whether a file for `id` exists (it may still fail to load).
    func contains(_ id: ID) -> Bool { PrivateFile.mode(of: path(for: id)) != nil }

    /// The ids that have a file, in order; none when the folder does not exist yet. Other
    /// files in the folder are ignored.
    func ids() throws(KeychainError) -> [ID] {
        let names: [String]
        do throws(PrivateFile.Failure) {
            try PrivateFile.checkFolder(folder)
            names = try PrivateFile.names(in: folder)
        } catch .notFound {
            return []
        } catch {
            throw .folder(error)
        }
        return names.compactMap { name in
            guard let id = ID(hex: name), id.hex == name else { return nil }
            return id
        }.sorted()
    }
}

/// Why the keychain could not save or load a key.
enum KeychainError: Error, Equatable, Sendable {
    /// Neither COLONIES_KEYCHAIN nor HOME is set.
    case noHome
    /// The keychain folder cannot be made or used.
    case folder(PrivateFile.Failure)
    /// A key file cannot be written or read.
    case file(PrivateFile.Failure)
    case notFound(id: ID, folder: String)
    /// A key file's contents are not a keychain entry.
    case invalidFile(SpecError)
    /// The key in a file is not the key its name promises.
    case idMismatch(path: String, found: ID)
    /// The key is sealed and no passphrase is set.
    case passphraseRequired(id: ID, path: String)
    /// The passphrase does not open the key (or the file was changed).
    case wrongPassphrase(id: ID, path: String)
    case seal(PassphraseSeal.Failure)

    var message: String {
        switch self {
        case .noHome:
            return "no keychain folder: set \(Keychain.folderVariable) or HOME"
        case .folder(.notPrivate(let path, let mode)):
            return "keychain folder \(path) has mode \(octal(mode)); others must not reach it: "
                + "chmod 700 \(path)"
        case .file(.notPrivate(let path, let mode)):
            return "keychain file \(path) has mode \(octal(mode)); others must not read it: "
                + "chmod 600 \(path)"
        case .folder(let failure), .file(let failure):
            return "keychain: " + describe(failure)
        case .notFound(let id, let folder):
            return "no key for id \(id.hex) in keychain \(folder)"
        case .invalidFile(let error):
            return error.message
        case .idMismatch(let path, let found):
            return "keychain file \(path) holds the key of another id (\(found.hex))"
        case .passphraseRequired(let id, let path):
            return "the key for \(id.hex) is sealed (\(path)): "
                + "set \(Keychain.passphraseVariable) to its passphrase"
        case .wrongPassphrase(let id, let path):
            return "wrong passphrase in \(Keychain.passphraseVariable) for the key for "
                + "\(id.hex), or \(path) was changed"
        case .seal(.malformed(let reason)):
            return "keychain: sealed key is malformed: \(reason)"
        case .seal(.keyDerivationFailed):
            return "keychain: deriving the key from the passphrase failed (out of memory?)"
        case .seal(.cannotOpen):
            return "keychain: a sealed key could not be opened"
        }
    }

    private func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func describe(_ failure: PrivateFile.Failure) -> String {
        switch failure {
        case .notFound(let path): return "\(path) does not exist"
        case .notAFolder(let path): return "\(path) is not a folder"
        case .notPrivate(let path, let mode): return "\(path) has mode \(octal(mode))"
        case .system(let call, let path, let reason): return "\(call) \(path): \(reason)"
        }
    }
}
