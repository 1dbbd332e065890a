import HubCore
import NIOHTTP1
import XCTest

@testable import HubConnectors

/// `StripeWebhookVerifier` on every kind of input: valid, Stripe's published vector, tampered,
/// stale, several signatures, and garbage — never a crash, never a false accept.
final class StripeWebhookVerifierTests: XCTestCase {
    let secret = "whsec_test_secret"
    let body = Array(#"{"id":"evt_1","object":"event","type":"invoice.paid","account":"acct_9","data":{"object":{"id":"in_1"}}}"#.utf8)
    let time = 1_700_000_000

    var now: Date { Date(timeIntervalSince1970: TimeInterval(time)) }

    func headers(_ value: String) -> HTTPHeaders { ["Stripe-Signature": value] }

    func valid(at timestamp: Int? = nil, secret: String? = nil) -> String {
        StripeWebhookVerifier.header(for: body, secret: secret ?? self.secret, timestamp: timestamp ?? time)
    }

    func testValidSignatureYieldsTheEvent() async throws {
        let event = try await StripeWebhookVerifier(secret: secret).verify(body: body, headers: headers(valid()), now: now)
        XCTAssertEqual(event.eventID, "evt_1")
        XCTAssertEqual(event.eventType, "invoice.paid")
        XCTAssertEqual(event.accountID, "acct_9")
        XCTAssertEqual(event.payload[stripe: "data"]?[stripe: "object"]?[stripe: "id"]?.stripeString, "in_1")
    }

    /// providers.md's vector, verified with Stripe's Python library. Its body has no `type`, so
    /// the signature and timestamp pass and only the body is refused.
    func testStripesPublishedVector() async {
        let vectorBody = Array(#"{"id": "evt_test_webhook", "object": "event"}"#.utf8)
        let signature = "c137b1b62277d523cf8fed4dfbd0170a9a5b8a380e00cc3711d4bf0652f2ce7a"
        XCTAssertEqual(StripeWebhookVerifier.header(for: vectorBody, secret: secret, timestamp: 1_492_774_577), "t=1492774577,v1=\(signature)")
        let at = Date(timeIntervalSince1970: 1_492_774_577)
        let verifier = StripeWebhookVerifier(secret: secret)
        await assertStripeWebhookRefused(
            try await verifier.verify(body: vectorBody, headers: headers("t=1492774577,v1=\(signature)"), now: at),
            .malformedBody
        )
        let flipped = "d" + signature.dropFirst()
        await assertStripeWebhookRefused(
            try await verifier.verify(body: vectorBody, headers: headers("t=1492774577,v1=\(flipped)"), now: at),
            .signatureMismatch
        )
    }

    func testTamperedBodyIsRefused() async {
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "2")
        await assertStripeWebhookRefused(
            try await StripeWebhookVerifier(secret: secret).verify(body: tampered, headers: headers(valid()), now: now),
            .signatureMismatch
        )
    }

    func testTimestampMustBeWithinFiveMinutesEitherWay() async throws {
        let verifier = StripeWebhookVerifier(secret: secret)
        _ = try await verifier.verify(body: body, headers: headers(valid(at: time - 300)), now: now)
        await assertStripeWebhookRefused(
            try await verifier.verify(body: body, headers: headers(valid(at: time - 301)), now: now),
            .timestampOutOfTolerance
        )
        await assertStripeWebhookRefused(
            try await verifier.verify(body: body, headers: headers(valid(at: time + 301)), now: now),
            .timestampOutOfTolerance
        )
        // A signature for another timestamp does not become valid by editing t.
        let resigned = valid(at: time - 1_000).replacingOccurrences(of: "t=\(time - 1_000)", with: "t=\(time)")
        await assertStripeWebhookRefused(
            try await verifier.verify(body: body, headers: headers(resigned), now: now),
            .signatureMismatch
        )
    }

    func testAnyOfSeveralSignaturesMayMatch() async throws {
        let good = String(valid().split(separator: "=").last ?? "")
        let other = StripeWebhookVerifier.header(for: body, secret: "whsec_old", timestamp: time).split(separator: "=").last ?? ""
        let header = "t=\(time),v1=\(other),v1=\(good),v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"
        let event = try await StripeWebhookVerifier(secret: secret).verify(body: body, headers: headers(header), now: now)
        XCTAssertEqual(event.eventID, "evt_1")
        // And a verifier holding the old and new secrets (during a roll) accepts either signature.
        let rolled = StripeWebhookVerifier(secrets: ["whsec_new", "whsec_old"])
        _ = try await rolled.verify(body: body, headers: headers("t=\(time),v1=\(other)"), now: now)
        await assertStripeWebhookRefused(
            try await StripeWebhookVerifier(secret: secret).verify(body: body, headers: headers("t=\(time),v1=\(other)"), now: now),
            .signatureMismatch
        )
    }

    func testGarbageHeadersAreRefusedNeverAccepted() async {
        let verifier = StripeWebhookVerifier(secret: secret)
        let signature = String(valid().split(separator: "=").last ?? "")
        let malformed = [
            "", "garbage", "t=", "t=,v1=", "v1=\(signature)", "t=\(time)", "t=abc,v1=\(signature)", "t=-\(time),v1=\(signature)",
            "t=1e9,v1=\(signature)", "t= ,v1=\(signature)", "t=\(time),v1=", "t=\(time),v1=zz", "t=\(time),v0=\(signature)",
            ",,,,", "=,=,=", "t=\(time),t=\(time + 1),v1=\(signature)", "t=99999999999999999999,v1=\(signature)",
            "t=\(time),v1=\(signature)," + String(repeating: "x", count: 100_000), "t=\u{0661}\u{0662},v1=\(signature)",
            "t=\(time);v1=\(signature)",
        ]
        for header in malformed {
            do throws(WebhookVerificationError) {
                _ = try await verifier.verify(body: body, headers: headers(header), now: now)
                XCTFail("accepted \(header.prefix(60))")
            } catch {
                XCTAssertEqual(error, .malformedSignature, String(header.prefix(60)))
            }
        }
        await assertStripeWebhookRefused(try await verifier.verify(body: body, headers: [:], now: now), .missingSignature)
        await assertStripeWebhookRefused(
            try await StripeWebhookVerifier(secrets: []).verify(body: body, headers: headers(valid()), now: now),
            .unknownKey
        )
    }

    func testValidlySignedNonEventBodyIsMalformed() async {
        let verifier = StripeWebhookVerifier(secret: secret)
        for text in ["not json", "[]", #"{"id":"evt_1"}"#, #"{"type":"x"}"#, ""] {
            let bytes = Array(text.utf8)
            let header = StripeWebhookVerifier.header(for: bytes, secret: secret, timestamp: time)
            await assertStripeWebhookRefused(try await verifier.verify(body: bytes, headers: headers(header), now: now), .malformedBody)
        }
    }

    func testRandomHeadersNeverVerify() async {
        var generator = SystemRandomNumberGenerator()
        let verifier = StripeWebhookVerifier(secret: secret)
        let alphabet = Array("t=v1,0123456789abcdef ;\u{00e9}=,")
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 160)
            let header = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            do throws(WebhookVerificationError) {
                _ = try await verifier.verify(body: body, headers: headers(header), now: now)
                XCTFail("accepted random header \(header)")
            } catch {
                XCTAssertNotEqual(error, .timestampOutOfTolerance, "a random header cannot carry a valid signature")
            }
        }
    }
}

func assertStripeWebhookRefused<T>(
    _ expression: @autoclosure () async throws -> T,
    _ expected: WebhookVerificationError,
    file: StaticString = #filePath,
    line: UInt = #line
) async {
    do {
        _ = try await expression()
        XCTFail("expected \(expected), the webhook was accepted", file: file, line: line)
    } catch let error as WebhookVerificationError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
