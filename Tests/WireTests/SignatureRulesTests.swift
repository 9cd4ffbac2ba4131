import Wire
import XCTest

/// The checks recovery makes beyond the library's own: one valid encoding per signature.
final class SignatureRulesTests: XCTestCase {
    // The order of secp256k1's group, n.
    private let order = Hex.decode(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!

    private func sample() throws -> (ID, Signature, ID) {
        let key = try PrivateKey(
            hex: "3b1b3a41e4f0ee0e8f8ac2b2e1f6b3c3d9f8a7e6d5c4b3a291807f6e5d4c3b2a")
        let digest = SHA3.digest(Array("hello".utf8))
        return (digest, key.sign(digest: digest), key.id)
    }

    /// n - s, big-endian, as an id.
    private func negate(_ s: ID) -> ID {
        let sb = s.bytes
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var d = Int(order[i]) - Int(sb[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            out[i] = UInt8(d)
        }
        return ID(bytes: out)!
    }

    func testAGeneratedKeySignsAndRecoversToItsOwnId() {
        let key = PrivateKey.generate()
        let digest = Random.id()
        XCTAssertEqual(try key.sign(digest: digest).recoverSigner(digest: digest), key.id)
    }

    func testTheHighSFormOfAValidSignatureIsRefused() throws {
        let (digest, sig, _) = try sample()
        let flipped = Signature(r: sig.r, s: negate(sig.s), v: sig.v ^ 1)
        XCTAssertThrowsError(try flipped.recoverSigner(digest: digest)) {
            XCTAssertEqual($0 as? IdentityError, .highS)
        }
    }

    func testARecoveryIdOutsideZeroAndOneIsRefused() throws {
        let (digest, sig, _) = try sample()
        for v: UInt8 in [2, 3, 27, 255] {
            let bad = Signature(r: sig.r, s: sig.s, v: v)
            XCTAssertThrowsError(try bad.recoverSigner(digest: digest)) {
                XCTAssertEqual($0 as? IdentityError, .invalidRecoveryID)
            }
        }
    }

    func testZeroOrOutOfRangeROrSIsRefused() throws {
        let (digest, sig, _) = try sample()
        let n = ID(bytes: order)!
        for bad in [
            Signature(r: .zero, s: sig.s, v: sig.v), Signature(r: sig.r, s: .zero, v: sig.v),
            Signature(r: n, s: sig.s, v: sig.v),
        ] {
            XCTAssertThrowsError(try bad.recoverSigner(digest: digest)) {
                XCTAssertEqual($0 as? IdentityError, .unrecoverable)
            }
        }
    }

    func testAnotherDigestRecoversToSomeoneElse() throws {
        let (_, sig, signer) = try sample()
        let other = SHA3.digest(Array("hellO".utf8))
        XCTAssertNotEqual(try? sig.recoverSigner(digest: other), signer)
    }
}
