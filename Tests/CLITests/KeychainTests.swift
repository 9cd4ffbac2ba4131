import Foundation
import Wire
import XCTest

@testable import colonies

final class KeychainTests: XCTestCase {
    private let vectorKey = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"

    private func keychain(passphrase: String? = nil) throws -> Keychain {
        Keychain(folder: try makeTemporaryFolder(self) + "/keys", passphrase: passphrase)
    }

    func testAPlainKeyRoundTripsAndIsFiledByItsID() throws {
        let chain = try keychain()
        let key = try PrivateKey(hex: vectorKey)

        let id = try chain.save(key)
        let loaded = try chain.load(id)

        XCTAssertEqual(loaded.hex, vectorKey)
        XCTAssertEqual(id, key.id)
        XCTAssertTrue(FileManager.default.fileExists(atPath: chain.folder + "/" + id.hex))
        let text = try String(contentsOfFile: chain.path(for: id), encoding: .utf8)
        XCTAssertTrue(text.contains(#""form" : "plain""#), text)
    }

    func testASealedKeyRoundTripsAndDoesNotHoldTheKeyInTheClear() throws {
        let chain = try keychain(passphrase: "correct horse")
        let key = try PrivateKey(hex: vectorKey)

        let id = try chain.save(key)
        let loaded = try chain.load(id)

        XCTAssertEqual(loaded.hex, vectorKey)
        let text = try String(contentsOfFile: chain.path(for: id), encoding: .utf8)
        XCTAssertTrue(text.contains(#""form" : "sealed""#), text)
        XCTAssertFalse(text.contains(vectorKey))
    }

    func testAWrongPassphraseIsRefusedClearly() throws {
        let chain = try keychain(passphrase: "right")
        let id = try chain.save(PrivateKey.generate())
        let wrong = Keychain(folder: chain.folder, passphrase: "wrong")

        XCTAssertThrowsError(try wrong.load(id)) { error in
            XCTAssertEqual(
                error as? KeychainError, .wrongPassphrase(id: id, path: chain.path(for: id)))
            let message = (error as? KeychainError)?.message ?? ""
            XCTAssertTrue(message.contains("wrong passphrase"), message)
            XCTAssertTrue(message.contains("COLONIES_PASSPHRASE"), message)
        }
    }

    func testASealedKeyWithoutAPassphraseAsksForOne() throws {
        let chain = try keychain(passphrase: "right")
        let id = try chain.save(PrivateKey.generate())
        let noPassphrase = Keychain(folder: chain.folder, passphrase: nil)

        XCTAssertThrowsError(try noPassphrase.load(id)) { error in
            XCTAssertEqual(
                error as? KeychainError, .passphraseRequired(id: id, path: chain.path(for: id)))
        }
    }

    func testAPlainKeyLoadsEvenWhenAPassphraseIsSet() throws {
        let plain = try keychain()
        let id = try plain.save(PrivateKey.generate())

        let withPassphrase = Keychain(folder: plain.folder, passphrase: "anything")

        XCTAssertEqual(try withPassphrase.load(id).id, id)
    }

    func testFilesAreMode0600InAFolderOfMode0700() throws {
        let chain = try keychain(passphrase: "p")
        let id = try chain.save(PrivateKey.generate())

        XCTAssertEqual(try permissions(of: chain.folder), 0o700)
        XCTAssertEqual(try permissions(of: chain.path(for: id)), 0o600)
    }

    func testAFileOthersCanReadIsRefused() throws {
        let chain = try keychain()
        let id = try chain.save(PrivateKey.generate())
        chmod(chain.path(for: id), 0o644)

        XCTAssertThrowsError(try chain.load(id)) { error in
            XCTAssertEqual(
                error as? KeychainError, .file(.notPrivate(path: chain.path(for: id), mode: 0o644)))
            XCTAssertTrue((error as? KeychainError)?.message.contains("chmod 600") ?? false)
        }
    }

    func testAnExistingFolderOthersCanEnterIsRefusedNotChanged() throws {
        let folder = try makeTemporaryFolder(self)
        chmod(folder, 0o755)
        let chain = Keychain(folder: folder)

        XCTAssertThrowsError(try chain.save(PrivateKey.generate())) { error in
            XCTAssertEqual(error as? KeychainError, .folder(.notPrivate(path: folder, mode: 0o755)))
        }
        XCTAssertEqual(try permissions(of: folder), 0o755)
    }

    func testListingGivesSortedIDsAndIgnoresOtherFiles() throws {
        let chain = try keychain()
        XCTAssertEqual(try chain.ids(), [])
        let first = try chain.save(PrivateKey.generate())
        let second = try chain.save(PrivateKey.generate())
        _ = FileManager.default.createFile(atPath: chain.folder + "/notes.txt", contents: nil)

        XCTAssertEqual(try chain.ids(), [first, second].sorted())
    }

    func testLoadingAnAbsentIDSaysNotFound() throws {
        let chain = try keychain()
        _ = try chain.save(PrivateKey.generate())
        let other = PrivateKey.generate().id

        XCTAssertThrowsError(try chain.load(other)) { error in
            XCTAssertEqual(error as? KeychainError, .notFound(id: other, folder: chain.folder))
        }
    }

    func testAFileHoldingAnotherIDsKeyIsRefused() throws {
        let chain = try keychain()
        let id = try chain.save(PrivateKey.generate())
        let impostor = PrivateKey.generate().id
        try FileManager.default.moveItem(
            atPath: chain.path(for: id), toPath: chain.path(for: impostor))

        XCTAssertThrowsError(try chain.load(impostor)) { error in
            XCTAssertEqual(
                error as? KeychainError, .idMismatch(path: chain.path(for: impostor), found: id))
        }
    }

    func testAGarbledFileIsReportedAsInvalid() throws {
        let chain = try keychain()
        let id = try chain.save(PrivateKey.generate())
        let path = chain.path(for: id)
        try Data(#"{"version": 1, "form": "plain", "prvkey": 7}"#.utf8).write(
            to: URL(fileURLWithPath: path))
        chmod(path, 0o600)

        XCTAssertThrowsError(try chain.load(id)) { error in
            let message = (error as? KeychainError)?.message ?? ""
            XCTAssertTrue(message.contains("field 'prvkey' must be a string"), message)
        }
    }

    func testTheEnvironmentNamesFolderAndPassphrase() throws {
        let chain = try Keychain(environment: [
            "HOME": "/home/someone", "COLONIES_KEYCHAIN": "/keys", "COLONIES_PASSPHRASE": "p",
        ])
        let fallback = try Keychain(environment: ["HOME": "/home/someone"])

        XCTAssertEqual(chain.folder, "/keys")
        XCTAssertEqual(chain.passphrase, "p")
        XCTAssertEqual(fallback.folder, "/home/someone/.colonies")
        XCTAssertNil(fallback.passphrase)
        XCTAssertThrowsError(try Keychain(environment: [:]))
    }
}
