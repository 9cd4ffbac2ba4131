import CLICore
import Client
import Foundation
import Wire

/// Flags the client commands share beyond `CommonFlags`: the object a command acts on.
enum ClientFlags {
    static func spec(_ what: String, example: String) -> Flag {
        .string(
            "spec", "The \(what) spec file (JSON), shaped like \(example).", valueName: "FILE",
            required: true)
    }

    static func processID(_ help: String) -> Flag {
        .string("processid", help, valueName: "ID", required: true)
    }

    /// The runtime a colony owner acts on: not the acting runtime of COLONIES_RUNTIME_ID,
    /// so it has no environment variable.
    static func targetRuntimeID(_ help: String) -> Flag {
        .string("runtimeid", help, valueName: "ID", required: true)
    }

    static let attempt = Flag.int(
        "attempt", "The attempt to act under (default: the process's current attempt).",
        range: 1...Int(UInt32.max))
}

extension Invocation {
    /// The id in flag `name`, which must be required or defaulted.
    func id(_ name: String) throws(CommandError) -> ID {
        let text = flags.string(name)
        guard let id = ID(hex: text) else {
            throw invalid(name, "an id must be 64 hex digits, got '\(text)'")
        }
        return id
    }

    /// The spec file named by `--spec`, read and turned into a value by `map`.
    func spec<T>(_ map: (SpecObject) throws(SpecError) -> T) throws(CommandError) -> T {
        do { return try map(SpecObject.load(path: flags.string("spec"))) } catch {
            throw .spec(error)
        }
    }

    /// The private key for `role`, from its flag, variable or the keychain.
    func key(_ role: KeyRole) throws(CommandError) -> PrivateKey {
        do { return try keys.key(role) } catch { throw .keys(error) }
    }

    /// The colony a command acts in.
    func colonyID() throws(CommandError) -> ID {
        do {
            return try keys.colonyID()
        } catch .missingID(.colony) where !flags.isDeclared(CommonFlags.colonyPrvKey.name) {
            // Runtime commands have no colony key flag, so only the id can name the colony.
            let flag = CommonFlags.colonyID
            throw .usage(
                .missingRequired(flag: flag.name, environment: flag.environment, path: path))
        } catch {
            throw .keys(error)
        }
    }

    /// The colony id when one is given by flag or variable; nil when none is.
    func givenColonyID() throws(CommandError) -> ID? {
        guard flags.optionalString(CommonFlags.colonyID.name) != nil else { return nil }
        return try colonyID()
    }

    /// Saves a new key in the keychain, then registers what it owns with `body`. When the
    /// registration fails the key file is removed again, as it owns nothing. Returns the
    /// registered object and where the key was saved.
    func register<T>(
        _ key: PrivateKey, _ what: String, _ body: () throws(ClientError) -> T
    ) throws(CommandError) -> (registered: T, keyPath: String) {
        let keychain = try keychain()
        do { try keychain.save(key) } catch { throw .keychain(error) }

        let path = keychain.path(for: key.id)
        do {
            return (try body(), path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw .call(error, what)
        }
    }

    /// Prints one line, or `json` when the user asked for JSON.
    func output(_ line: String, json: @autoclosure () -> Any) throws(CommandError) {
        if wantsJSON {
            try printJSON(json())
        } else {
            console.write(line)
        }
    }

    /// Prints lines of text, or `json` when the user asked for JSON.
    func output(lines: @autoclosure () -> [String], json: @autoclosure () -> Any)
        throws(CommandError)
    {
        if wantsJSON {
            try printJSON(json())
        } else {
            for line in lines() { console.write(line) }
        }
    }
}

/// Runs one client call; a failure becomes a message that says what was being done.
func clientCall<T>(_ what: String, _ body: () throws(ClientError) -> T) throws(CommandError)
    -> T
{
    do { return try body() } catch { throw .call(error, what) }
}
