import Crypto
import Foundation
import HubConnectors
import NIOHTTP1
import XCTest

final class ShopifyWebhookVerifierTests: XCTestCase {
    let body = Array(#"{"id":820982911946154508,"email":"jon@doe.ca"}"#.utf8)
    let verifier = ShopifyWebhookVerifier(secrets: ["hush"])

    func headers(hmac: String?) -> HTTPHeaders {
        var headers: HTTPHeaders = [
            "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "example.myshopify.com",
            "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        ]
        if let hmac { headers.add(name: "X-Shopify-Hmac-Sha256", value: hmac) }
        return headers
    }

    func testPublishedVectorVerifies() async throws {
        let event = try await verifier.verify(body: body, headers: headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs="), now: Date())
        XCTAssertEqual(event.eventType, "orders/create")
        XCTAssertEqual(event.accountID, "example.myshopify.com")
        XCTAssertEqual(event.eventID, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    }

    func testSignatureComputedWithTheSecretVerifiesAndTheOldSecretStillDoesDuringRotation() async throws {
        let payload = Array(#"{"id":1,"title":"Mug"}"#.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: Array("old-secret".utf8)))
        let rotating = ShopifyWebhookVerifier(secrets: ["new-secret", "old-secret"])
        let event = try await rotating.verify(body: payload, headers: headers(hmac: Data(mac).base64EncodedString()), now: Date())
        XCTAssertEqual(event.payload, ["id": 1, "title": "Mug"])
    }

    func testTamperedBodyIsRefused() async {
        var tampered = body
        tampered[10] = UInt8(ascii: "9")
        await assertRefused(tampered, headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs="), .signatureMismatch)
    }

    func testWrongSecretIsRefused() async {
        let other = ShopifyWebhookVerifier(secrets: ["not-hush"])
        do {
            _ = try await other.verify(body: body, headers: headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs="), now: Date())
            XCTFail("accepted")
        } catch {
            XCTAssertEqual(error, .signatureMismatch)
        }
    }

    func testGarbageHeadersNeverCrashAndNeverPass() async {
        await assertRefused(body, headers(hmac: nil), .missingSignature)
        await assertRefused(body, headers(hmac: ""), .missingSignature)
        await assertRefused(body, headers(hmac: "not base64 at all!!"), .malformedSignature)
        await assertRefused(body, headers(hmac: "AAAA"), .malformedSignature)
        await assertRefused(body, headers(hmac: String(repeating: "A", count: 43) + "="), .signatureMismatch)
        await assertRefused(body, headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs=fp5HwmAH"), .malformedSignature)
        await assertRefused([], headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs="), .signatureMismatch)
        let noSecrets = ShopifyWebhookVerifier(secrets: [""])
        do {
            _ = try await noSecrets.verify(body: body, headers: headers(hmac: "fp5HwmAHEVGQQwJU1KRpk57Ts2YHF6/TLOCczCtB5bs="), now: Date())
            XCTFail("an empty secret accepted a webhook")
        } catch {
            XCTAssertEqual(error, .signatureMismatch)
        }
    }

    func testCorrectlySignedNonJSONIsMalformedBody() async {
        let payload = Array("not json".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: Array("hush".utf8)))
        await assertRefused(payload, headers(hmac: Data(mac).base64EncodedString()), .malformedBody)
    }

    func assertRefused(_ body: [UInt8], _ headers: HTTPHeaders, _ expected: WebhookVerificationError, line: UInt = #line) async {
        do {
            _ = try await verifier.verify(body: body, headers: headers, now: Date())
            XCTFail("accepted", line: line)
        } catch {
            XCTAssertEqual(error, expected, line: line)
        }
    }
}
