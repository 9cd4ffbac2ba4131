import Foundation
import Wire
import XCTest

/// Replays ../shared/vectors/identity.json (copied to Resources/identity.json): the identity
/// scheme must match the original Colonies bit for bit.
final class IdentityVectorTests: XCTestCase {
    private struct Vectors: Decodable {
        struct Hash: Decodable {
            let input_hex: String
            let digest: String
        }
        struct Identity: Decodable {
            let private_key: String
            let public_key: String
            let id: String
        }
        struct Sig: Decodable {
            let private_key: String
            let message_hex: String
            let digest: String
            let signature: String
            let signer_id: String
        }
        let sha3_256: [Hash]
        let identities: [Identity]
        let signatures: [Sig]
        let invalid_private_keys: [String]
    }

    private func load() throws -> Vectors {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "identity", withExtension: "json"))
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }

    func testSHA3DigestsMatchTheVectors() throws {
        let vectors = try load()
        XCTAssertFalse(vectors.sha3_256.isEmpty)
        for v in vectors.sha3_256 {
            let input = try XCTUnwrap(Hex.decode(v.input_hex))
            XCTAssertEqual(SHA3.digest(input).hex, v.digest, "input \(v.input_hex)")
        }
    }

    func testPublicKeysAndIdsMatchTheVectors() throws {
        let vectors = try load()
        XCTAssertFalse(vectors.identities.isEmpty)
        for v in vectors.identities {
            let key = try PrivateKey(hex: v.private_key)
            XCTAssertEqual(Hex.encode(key.publicKey), v.public_key)
            XCTAssertEqual(key.id.hex, v.id)
        }
    }

    func testSignaturesAreByteIdenticalAndRecoverToTheSigner() throws {
        let vectors = try load()
        XCTAssertFalse(vectors.signatures.isEmpty)
        for v in vectors.signatures {
            let message = try XCTUnwrap(Hex.decode(v.message_hex))
            let digest = SHA3.digest(message)
            XCTAssertEqual(digest.hex, v.digest)

            let key = try PrivateKey(hex: v.private_key)
            let signature = key.sign(digest: digest)
            XCTAssertEqual(signature.hex, v.signature)

            let theirs = try XCTUnwrap(Signature(hex: v.signature))
            XCTAssertEqual(try theirs.recoverSigner(digest: digest).hex, v.signer_id)
        }
    }

    func testInvalidPrivateKeysAreRefused() throws {
        let vectors = try load()
        XCTAssertFalse(vectors.invalid_private_keys.isEmpty)
        for hex in vectors.invalid_private_keys {
            XCTAssertThrowsError(try PrivateKey(hex: hex), "key \(hex) must be refused")
        }
    }
}
