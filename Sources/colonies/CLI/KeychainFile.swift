import Foundation
import Wire

/// The format of one keychain file: a JSON object that records its form.
///
///     {"version": 1, "form": "plain", "id": "<hex>", "prvkey": "<hex>"}
///     {"version": 1, "form": "sealed", "id": "<hex>", "algorithm": "...",
///      "opslimit": 2, "memlimit": 67108864, "salt": "<hex>", "nonce": "<hex>", "box": "<hex>"}
///
/// A sealed box holds the 32 key bytes. The id is written in both forms so that a listing
/// needs no passphrase; after opening, the key's id is checked against it.
enum KeychainFile {
    static let version = 1

    /// The file's bytes for `key`: sealed under `passphrase` when one is given.
    static func encode(_ key: PrivateKey, passphrase: String?) throws(KeychainError) -> [UInt8] {
        var object: [String: Any] = ["version": version, "id": key.id.hex]
        if let passphrase {
            var secret = key.withSecretBytes { Array($0) }
            defer { PassphraseSeal.wipe(&secret) }
            let sealed: PassphraseSeal.Sealed
            do {
                sealed = try PassphraseSeal.seal(secret, passphrase: passphrase)
            } catch {
                throw .seal(error)
            }
            object["form"] = "sealed"
            object["algorithm"] = PassphraseSeal.algorithm
            object["opslimit"] = Int(sealed.opsLimit)
            object["memlimit"] = sealed.memLimit
            object["salt"] = Hex.encode(sealed.salt)
            object["nonce"] = Hex.encode(sealed.nonce)
            object["box"] = Hex.encode(sealed.box)
        } else {
            object["form"] = "plain"
            object["prvkey"] = key.hex
        }

        // Only strings and integers are in the object, so serialising cannot fail.
        guard var data = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        else { preconditionFailure("a keychain entry must serialise") }
        defer { PassphraseSeal.wipe(&data) }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// The key in a file's bytes. `path` names the file in messages; `expected` is the id
    /// its name promises.
    static func decode(
        _ bytes: [UInt8], path: String, expected: ID, passphrase: String?
    ) throws(KeychainError) -> PrivateKey {
        var data = Data(bytes)
        defer { PassphraseSeal.wipe(&data) }

        let content: Content
        do throws(SpecError) {
            content = try parse(SpecObject(json: data, file: "keychain file " + path))
        } catch {
            throw .invalidFile(error)
        }

        let key: PrivateKey
        switch content {
        case .plain(let plain):
            key = plain
        case .sealed(let sealed):
            guard let passphrase else { throw .passphraseRequired(id: expected, path: path) }
            key = try open(sealed, id: expected, path: path, passphrase)
        }
        guard key.id == expected else { throw .idMismatch(path: path, found: key.id) }
        return key
    }

    private enum Content {
        case plain(PrivateKey)
        case sealed(PassphraseSeal.Sealed)
    }

    private static func parse(_ entry: SpecObject) throws(SpecError) -> Content {
        let version = try entry.require("version", entry.int("version"))
        try entry.check("version", version, in: Self.version...Self.version)
        switch try entry.require("form", entry.string("form")) {
        case "plain":
            return .plain(try plainKey(entry))
        case "sealed":
            return .sealed(try readSealed(entry))
        case let form:
            let reason = "must be 'plain' or 'sealed', not '\(form)'"
            throw .outOfRange(file: entry.file, field: "form", reason: reason)
        }
    }

    private static func plainKey(_ entry: SpecObject) throws(SpecError) -> PrivateKey {
        try entry.requireOnly(["version", "form", "id", "prvkey"])
        let hex = try entry.require("prvkey", entry.string("prvkey"))
        do {
            return try PrivateKey(hex: hex)
        } catch {
            throw .wrongType(file: entry.file, field: "prvkey", expected: "a valid private key")
        }
    }

    private static func open(
        _ sealed: PassphraseSeal.Sealed, id: ID, path: String, _ passphrase: String
    ) throws(KeychainError) -> PrivateKey {
        var secret: [UInt8]
        do throws(PassphraseSeal.Failure) {
            secret = try PassphraseSeal.open(sealed, passphrase: passphrase)
        } catch .cannotOpen {
            throw .wrongPassphrase(id: id, path: path)
        } catch {
            throw .seal(error)
        }
        defer { PassphraseSeal.wipe(&secret) }

        do {
            return try PrivateKey(bytes: secret)
        } catch {
            throw .seal(.malformed("the sealed bytes are not a valid private key"))
        }
    }

    private static func readSealed(_ entry: SpecObject) throws(SpecError) -> PassphraseSeal.Sealed {
        try entry.requireOnly([
            "version", "form", "id", "algorithm", "opslimit", "memlimit", "salt", "nonce", "box",
        ])
        let algorithm = try entry.require("algorithm", entry.string("algorithm"))
        guard algorithm == PassphraseSeal.algorithm else {
            let reason = "names an unknown algorithm '\(algorithm)'"
            throw .outOfRange(file: entry.file, field: "algorithm", reason: reason)
        }
        let ops = try entry.require("opslimit", entry.int("opslimit"))
        let mem = try entry.require("memlimit", entry.int("memlimit"))
        try entry.check("opslimit", ops, in: 1...Int(Int32.max))
        try entry.check("memlimit", mem, in: 1...Int.max)
        return PassphraseSeal.Sealed(
            opsLimit: UInt64(ops), memLimit: mem, salt: try hex(entry, "salt"),
            nonce: try hex(entry, "nonce"), box: try hex(entry, "box"))
    }

    private static func hex(_ entry: SpecObject, _ field: String) throws(SpecError) -> [UInt8] {
        let text = try entry.require(field, entry.string(field))
        guard let bytes = Hex.decode(text) else {
            throw .wrongType(file: entry.file, field: field, expected: "hex digits")
        }
        return bytes
    }
}
