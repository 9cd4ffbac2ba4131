import CLICore
import Wire
import XCTest

@testable import colonies

final class KeyResolverTests: XCTestCase {
    private let vectorKey = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
    private let vectorID = "4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87"

    /// Parses `arguments` for a command declaring the colony and server key flags, then
    /// hands back a resolver over them.
    private func resolver(
        _ arguments: [String], env: [String: String] = [:]
    ) throws -> KeyResolver {
        let command = Command(
            "act", "Act.", flags: CommonFlags.colony + CommonFlags.serverOwner, run: { _ in })
        let root = CommandGroup("colonies", "Test.", commands: [command])
        let result = try ArgumentParser(root: root).parse(["act"] + arguments, environment: env)
        guard case .run(_, _, let flags) = result else {
            XCTFail("expected a command to run, got \(result)")
            return KeyResolver(flags: ParsedFlags(declared: [], values: [:]), environment: [:])
        }
        return KeyResolver(flags: flags, environment: env)
    }

    func testTheFlagGivesTheKeyAndItsID() throws {
        let keys = try resolver(["--colonyprvkey", vectorKey])

        XCTAssertEqual(try keys.colonyKey().hex, vectorKey)
        XCTAssertEqual(try keys.colonyID().hex, vectorID)
    }

    func testTheEnvironmentGivesTheKeyWhenTheFlagIsAbsent() throws {
        let keys = try resolver([], env: ["COLONIES_COLONY_PRVKEY": vectorKey])

        XCTAssertEqual(try keys.colonyKey().hex, vectorKey)
    }

    func testTheKeychainGivesTheKeyForAGivenID() throws {
        let folder = try makeTemporaryFolder(self) + "/keys"
        try Keychain(folder: folder).save(PrivateKey(hex: vectorKey))

        let keys = try resolver(["--colonyid", vectorID], env: ["COLONIES_KEYCHAIN": folder])

        XCTAssertEqual(try keys.colonyKey().hex, vectorKey)
    }

    func testAnIDWithoutAKeychainEntrySaysWhatToSet() throws {
        let folder = try makeTemporaryFolder(self) + "/keys"
        let keys = try resolver(["--colonyid", vectorID], env: ["COLONIES_KEYCHAIN": folder])

        XCTAssertThrowsError(try keys.colonyKey()) { error in
            let message = (error as? KeyResolutionError)?.message ?? ""
            XCTAssertTrue(message.contains(vectorID), message)
            XCTAssertTrue(message.contains("--colonyprvkey or COLONIES_COLONY_PRVKEY"), message)
        }
    }

    func testNothingGivenSaysEverySourceToSet() throws {
        let keys = try resolver([])

        XCTAssertThrowsError(try keys.colonyKey()) { error in
            XCTAssertEqual(error as? KeyResolutionError, .missingKey(.colony))
            let message = (error as? KeyResolutionError)?.message ?? ""
            XCTAssertTrue(message.contains("COLONIES_COLONY_PRVKEY"), message)
            XCTAssertTrue(message.contains("COLONIES_COLONY_ID"), message)
        }
        XCTAssertThrowsError(try keys.serverKey()) { error in
            let message = (error as? KeyResolutionError)?.message ?? ""
            XCTAssertTrue(message.contains("--serverprvkey or COLONIES_SERVER_PRVKEY"), message)
        }
    }

    func testABadKeyInTheEnvironmentNamesTheVariable() throws {
        let keys = try resolver([], env: ["COLONIES_SERVER_PRVKEY": "xyz"])

        XCTAssertThrowsError(try keys.serverKey()) { error in
            XCTAssertEqual(
                error as? KeyResolutionError,
                .invalidKey(origin: "COLONIES_SERVER_PRVKEY", .malformedPrivateKey))
        }
    }

    func testAKeyThatDoesNotMatchTheGivenIDIsRefused() throws {
        let other = PrivateKey.generate().id.hex
        let keys = try resolver(["--colonyprvkey", vectorKey, "--colonyid", other])

        XCTAssertThrowsError(try keys.colonyKey()) { error in
            guard case .mismatch(.colony, "--colonyprvkey", _, "--colonyid", _)? =
                error as? KeyResolutionError
            else { return XCTFail("expected a mismatch, got \(error)") }
        }
    }

    func testAMalformedIDIsRefusedByName() throws {
        let keys = try resolver(["--colonyid", "abc"])

        XCTAssertThrowsError(try keys.colonyID()) { error in
            XCTAssertEqual(error as? KeyResolutionError, .invalidID(origin: "--colonyid"))
        }
    }
}
