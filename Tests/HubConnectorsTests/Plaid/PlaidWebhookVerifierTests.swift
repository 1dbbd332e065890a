import Crypto
import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import Synchronization
import XCTest

final class PlaidWebhookVerifierTests: XCTestCase {
    /// A Plaid-like signer: a P-256 key, its JWK as `/webhook_verification_key/get` returns it,
    /// and JWTs over a body.
    struct Signer {
        let key = P256.Signing.PrivateKey()
        let kid = UUID().uuidString.lowercased()
        var expiredAt: Int?

        var jwk: JSONValue {
            let raw = Array(key.publicKey.rawRepresentation)
            return [
                "alg": "ES256", "crv": "P-256", "kid": .string(kid), "kty": "EC", "use": "sig",
                "x": .string(Self.base64URL(raw[0..<32])), "y": .string(Self.base64URL(raw[32..<64])),
                "created_at": 1_700_000_000, "expired_at": expiredAt.map { .number(Double($0)) } ?? .null,
            ]
        }

        func token(_ body: [UInt8], issuedAt: Date, header: String? = nil, hash: String? = nil) throws -> String {
            let header = header ?? #"{"alg":"ES256","kid":"\#(kid)","typ":"JWT"}"#
            let claims = #"{"iat":\#(Int(issuedAt.timeIntervalSince1970)),"request_body_sha256":"\#(hash ?? sha256Hex(body))"}"#
            let input = Self.base64URL(Array(header.utf8)) + "." + Self.base64URL(Array(claims.utf8))
            return input + "." + Self.base64URL(Array(try key.signature(for: Array(input.utf8)).rawRepresentation))
        }

        static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    let body = Array(#"{"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE","item_id":"item-1","environment":"sandbox"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A verifier whose key endpoint serves `signers` and counts its calls.
    /// Counts calls to the key endpoint.
    final class Fetches: Sendable {
        let count = Mutex(0)
    }

    func verifier(_ signers: [Signer], fetches: Fetches? = nil) -> PlaidWebhookVerifier {
        let keys = Dictionary(uniqueKeysWithValues: signers.map { ($0.kid, $0.jwk) })
        return PlaidWebhookVerifier { kid throws(ConnectorError) in
            fetches?.count.withLock { $0 += 1 }
            guard let key = keys[kid] else { throw .validation(message: "INVALID_FIELD: invalid key_id provided", field: nil) }
            return key
        }
    }

    func headers(_ token: String?) -> HTTPHeaders {
        token.map { ["Plaid-Verification": $0] } ?? [:]
    }

    /// The event id is the delivery's token, not its body: every SYNC_UPDATES_AVAILABLE of an
    /// item has the same body, and keyed by it each after the first was dropped as a repeat.
    func testValidSignatureVerifiesAndEachDeliveryIsAnEventOfItsOwn() async throws {
        let signer = Signer()
        let verifier = verifier([signer])
        let token = try signer.token(body, issuedAt: now)
        let event = try await verifier.verify(body: body, headers: headers(token), now: now)
        XCTAssertEqual(event.eventType, "TRANSACTIONS.SYNC_UPDATES_AVAILABLE")
        XCTAssertEqual(event.accountID, "item-1")
        let replayed = try await verifier.verify(body: body, headers: headers(token), now: now)
        XCTAssertEqual(replayed.eventID, event.eventID, "the same request again is the same event")
        let later = try await verifier.verify(body: body, headers: headers(try signer.token(body, issuedAt: now.addingTimeInterval(60))), now: now)
        XCTAssertNotEqual(later.eventID, event.eventID, "the same news a minute later is news")
    }

    func testTamperedBodyIsRefused() async throws {
        let signer = Signer()
        var tampered = body
        tampered[20] ^= 0x20
        await assertRefused(verifier([signer]), tampered, try signer.token(body, issuedAt: now), .signatureMismatch)
    }

    func testStaleOrFutureIssuedAtIsRefused() async throws {
        let signer = Signer()
        let verifier = verifier([signer])
        await assertRefused(verifier, body, try signer.token(body, issuedAt: now.addingTimeInterval(-301)), .timestampOutOfTolerance)
        await assertRefused(verifier, body, try signer.token(body, issuedAt: now.addingTimeInterval(301)), .timestampOutOfTolerance)
        _ = try await verifier.verify(body: body, headers: headers(try signer.token(body, issuedAt: now.addingTimeInterval(-299))), now: now)
    }

    func testSignatureByAnotherKeyUnderTheSameKidIsRefused() async throws {
        let signer = Signer()
        let impostor = Signer()
        let forged = try impostor.token(body, issuedAt: now, header: #"{"alg":"ES256","kid":"\#(signer.kid)","typ":"JWT"}"#)
        await assertRefused(verifier([signer]), body, forged, .signatureMismatch)
    }

    func testGarbageHeadersNeverCrashAndNeverPass() async throws {
        let signer = Signer()
        let verifier = verifier([signer])
        let valid = try signer.token(body, issuedAt: now)
        let parts = valid.split(separator: ".").map(String.init)
        await assertRefused(verifier, body, nil, .missingSignature)
        await assertRefused(verifier, body, "", .missingSignature)
        await assertRefused(verifier, body, "not-a-jwt", .malformedSignature)
        await assertRefused(verifier, body, "a.b.c", .malformedSignature)
        await assertRefused(verifier, body, "..", .malformedSignature)
        await assertRefused(verifier, body, parts[0] + "." + parts[1] + ".", .malformedSignature)
        await assertRefused(verifier, body, parts[0] + "." + parts[1] + ".AAAA", .signatureMismatch)
        await assertRefused(verifier, body, parts[0] + ".!!!." + parts[2], .signatureMismatch)
        await assertRefused(verifier, body, String(repeating: "é.", count: 2) + "x", .malformedSignature)
        let none = Signer.base64URL(Array(#"{"alg":"none","kid":"\#(signer.kid)"}"#.utf8)) + "." + parts[1] + ".x"
        await assertRefused(verifier, body, none, .malformedSignature)
        let hmac = Signer.base64URL(Array(#"{"alg":"HS256","kid":"\#(signer.kid)"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        await assertRefused(verifier, body, hmac, .malformedSignature)
        await assertRefused(verifier, body, try signer.token(body, issuedAt: now, header: #"{"alg":"ES256","typ":"JWT"}"#), .malformedSignature)
        await assertRefused(verifier, body, try signer.token(body, issuedAt: now, hash: "00"), .signatureMismatch)
    }

    func testUnknownKidIsFetchedOnceThenCachedAndUnknownKeysAreRefused() async throws {
        let first = Signer()
        let second = Signer()
        let fetches = Fetches()
        let verifier = verifier([first, second], fetches: fetches)
        _ = try await verifier.verify(body: body, headers: headers(try first.token(body, issuedAt: now)), now: now)
        _ = try await verifier.verify(body: body, headers: headers(try first.token(body, issuedAt: now)), now: now)
        XCTAssertEqual(fetches.count.withLock { $0 }, 1, "cached by kid")
        _ = try await verifier.verify(body: body, headers: headers(try second.token(body, issuedAt: now)), now: now)
        XCTAssertEqual(fetches.count.withLock { $0 }, 3, "a new kid is fetched, and the unexpired cached key refreshed")
        let stranger = Signer()
        await assertRefused(verifier, body, try stranger.token(body, issuedAt: now), .unknownKey)
        let before = fetches.count.withLock { $0 }
        await assertRefused(verifier, body, try stranger.token(body, issuedAt: now), .unknownKey)
        XCTAssertEqual(fetches.count.withLock { $0 }, before, "a refused kid is not asked for again at once")
    }

    func testExpiredKeyIsRefused() async throws {
        var signer = Signer()
        signer.expiredAt = 1_700_000_100
        await assertRefused(verifier([signer]), body, try signer.token(body, issuedAt: now), .unknownKey)
    }

    func testSignedNonJSONIsMalformedBody() async throws {
        let signer = Signer()
        let payload = Array("plain text".utf8)
        await assertRefused(verifier([signer]), payload, try signer.token(payload, issuedAt: now), .malformedBody)
    }

    func assertRefused(
        _ verifier: PlaidWebhookVerifier,
        _ body: [UInt8],
        _ token: String?,
        _ expected: WebhookVerificationError,
        line: UInt = #line
    ) async {
        do {
            _ = try await verifier.verify(body: body, headers: headers(token), now: now)
            XCTFail("accepted", line: line)
        } catch {
            XCTAssertEqual(error, expected, line: line)
        }
    }
}
