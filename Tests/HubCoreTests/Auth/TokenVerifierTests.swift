import Crypto
import Foundation
import JWTKit
import XCTest

@testable import HubCore

final class TokenVerifierTests: XCTestCase {
    let secret = String(repeating: "k", count: 40)
    var configuration: AuthConfiguration {
        AuthConfiguration(hs256Secret: secret, publicKeyPEM: nil, internalToken: String(repeating: "i", count: 32))
    }

    func testValidTokenYieldsOrganizationAndSubject() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        let org = UUID()
        let token = try await verifier.sign(Identity(organizationID: org, subject: "alice"))
        let identity = try await verifier.verify(token)
        XCTAssertEqual(identity, Identity(organizationID: org, subject: "alice"))
    }

    func testExpiredTokenIsRefusedAsExpired() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        let token = try await verifier.sign(Identity(organizationID: UUID(), subject: "alice"), expiresIn: -5)
        await assertRefused(verifier, token, as: .expired)
    }

    func testTokenSignedWithAnotherSecretIsRefused() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        var other = configuration
        other.hs256Secret = String(repeating: "x", count: 40)
        let forged = try await TokenVerifier(configuration: other).sign(Identity(organizationID: UUID(), subject: "mallory"))
        await assertRefused(verifier, forged, as: .invalid)
    }

    func testGarbageAndUnsignedTokensAreRefused() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        await assertRefused(verifier, "not-a-jwt", as: .invalid)
        // alg "none" with valid-looking claims.
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let claims = Data(#"{"sub":"x","org":"\#(UUID().uuidString)","exp":\#(Int(Date().timeIntervalSince1970) + 600)}"#.utf8)
            .base64URLEncodedString()
        await assertRefused(verifier, "\(header).\(claims).", as: .invalid)
    }

    func testOrganizationClaimMustBeAUUID() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        var payload = HubTokenPayload(subject: "alice", organizationID: UUID(), expiresAt: Date().addingTimeInterval(60))
        payload.org = "acme"
        let token = try await verifier.sign(payload)
        await assertRefused(verifier, token, as: .badOrganization)
    }

    func testIssuerIsEnforcedWhenConfigured() async throws {
        var strict = configuration
        strict.issuer = "https://accounting.example"
        let verifier = try await TokenVerifier(configuration: strict)
        let unrelated = try await TokenVerifier(configuration: configuration).sign(Identity(organizationID: UUID(), subject: "a"))
        await assertRefused(verifier, unrelated, as: .wrongIssuer)
        let good = try await verifier.sign(Identity(organizationID: UUID(), subject: "a"))
        _ = try await verifier.verify(good)
    }

    func testEd25519PublicKeyVerifiesTokensFromItsPrivateKey() async throws {
        let privateKey = Curve25519.Signing.PrivateKey()
        let pem =
            "-----BEGIN PUBLIC KEY-----\n"
            + (Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + privateKey.publicKey.rawRepresentation)
            .base64EncodedString() + "\n-----END PUBLIC KEY-----\n"
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(hs256Secret: nil, publicKeyPEM: pem, internalToken: String(repeating: "i", count: 32))
        )
        let signer = JWTKeyCollection()
        await signer.add(eddsa: EdDSA.PrivateKey(backing: privateKey))
        let org = UUID()
        let token = try await signer.sign(HubTokenPayload(subject: "bob", organizationID: org, expiresAt: Date().addingTimeInterval(60)))
        let identity = try await verifier.verify(token)
        XCTAssertEqual(identity.organizationID, org)
        // An HS256 token cannot pass when only the public key is configured.
        let hs = try await TokenVerifier(configuration: configuration).sign(Identity(organizationID: org, subject: "bob"))
        await assertRefused(verifier, hs, as: .invalid)
    }

    // MARK: The verified-token cache

    func testAVerifiedTokenIsRefusedOnceItExpiresThoughItWasCached() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        let org = UUID()
        let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2).rounded(.up))
        let token = try await verifier.sign(HubTokenPayload(subject: "alice", organizationID: org, expiresAt: expiry))
        let first = try await verifier.verify(token)
        XCTAssertEqual(verifier.verified.count, 1, "a verified token is remembered")
        let again = try await verifier.verify(token)
        XCTAssertEqual(again, first)
        try await Task.sleep(for: .seconds(expiry.timeIntervalSinceNow + 0.05))
        await assertRefused(verifier, token, as: .expired)
        XCTAssertEqual(verifier.verified.count, 0, "the expired entry is dropped")
    }

    func testATokenDifferingByOneCharacterFromACachedOneIsVerifiedAfresh() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        let token = try await verifier.sign(Identity(organizationID: UUID(), subject: "alice"))
        _ = try await verifier.verify(token)
        var tampered = Array(token)
        let last = tampered.count - 2
        tampered[last] = tampered[last] == "A" ? "B" : "A"
        await assertRefused(verifier, String(tampered), as: .invalid)
    }

    func testRefusedTokensAreNotRemembered() async throws {
        let verifier = try await TokenVerifier(configuration: configuration)
        let expired = try await verifier.sign(Identity(organizationID: UUID(), subject: "alice"), expiresIn: -5)
        await assertRefused(verifier, expired, as: .expired)
        await assertRefused(verifier, "not-a-jwt", as: .invalid)
        XCTAssertEqual(verifier.verified.count, 0)
    }

    func testTheCacheServesUntilExpiryAndStartsOverWhenFull() {
        let cache = VerifiedTokenCache(capacity: 2)
        let alice = Identity(organizationID: UUID(), subject: "alice")
        let now = Date()
        cache.remember("t1", identity: alice, expiresAt: now.addingTimeInterval(10))
        XCTAssertEqual(cache.identity(for: "t1", now: now.addingTimeInterval(9.999)), alice)
        XCTAssertNil(cache.identity(for: "t1", now: now.addingTimeInterval(10)), "never served at its expiry")
        cache.remember("t1", identity: alice, expiresAt: now.addingTimeInterval(10))
        cache.remember("t2", identity: alice, expiresAt: now.addingTimeInterval(10))
        cache.remember("t3", identity: alice, expiresAt: now.addingTimeInterval(10))
        XCTAssertEqual(cache.count, 1, "full: started over with the newest")
        XCTAssertEqual(cache.identity(for: "t3", now: now), alice)
        XCTAssertNil(cache.identity(for: "t1", now: now))
    }

    private func assertRefused(_ verifier: TokenVerifier, _ token: String, as expected: TokenError, line: UInt = #line) async {
        do {
            _ = try await verifier.verify(token)
            XCTFail("token was accepted", line: line)
        } catch {
            XCTAssertEqual(error, expected, line: line)
        }
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
