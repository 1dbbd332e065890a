import Crypto
import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import Testing

/// HubSpot's v3 signature: HubSpot's own test vector, the URI rebuilt from the host and the
/// target webhook-service passes, the five-minute window, and what a batch means.
struct HubSpotWebhookVerifierTests {
    static let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
    static let vectorBody = Array("{'example_field':'example_value'}".utf8)

    static func headers(signature: String, timestamp: String, host: String = "www.example.com", target: String = "/webhook_uri") -> HTTPHeaders {
        [
            "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp, "Host": host,
            HubSpotWebhookVerifier.requestTargetHeader: target,
        ]
    }

    /// hubspot-api-python's vector: POST https://www.example.com/webhook_uri at 15000000 ms. The
    /// body is no event array, so a matching signature ends in `malformedBody`, a wrong one before.
    @Test func hubSpotsOwnVectorVerifies() async throws {
        let verifier = HubSpotWebhookVerifier(secrets: [Self.secret])
        let headers = Self.headers(signature: "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=", timestamp: "15000000")
        let at = Date(timeIntervalSince1970: 15_000)
        await #expect(throws: WebhookVerificationError.malformedBody) {
            try await verifier.verify(body: Self.vectorBody, headers: headers, now: at)
        }
        await #expect(throws: WebhookVerificationError.signatureMismatch) {
            try await HubSpotWebhookVerifier(secrets: ["another"]).verify(body: Self.vectorBody, headers: headers, now: at)
        }
        await #expect(throws: WebhookVerificationError.signatureMismatch) {
            try await verifier.verify(
                body: Self.vectorBody,
                headers: Self.headers(signature: "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=", timestamp: "15000000", target: "/other"),
                now: at
            )
        }
        await #expect(throws: WebhookVerificationError.timestampOutOfTolerance) {
            try await verifier.verify(body: Self.vectorBody, headers: headers, now: at.addingTimeInterval(301))
        }
    }

    @Test func aBatchNamesItsPortalAndItsEntities() async throws {
        let body = Array(
            #"[{"eventId":7,"portalId":62515,"subscriptionType":"contact.propertyChange","objectId":1},{"eventId":8,"portalId":62515,"subscriptionType":"deal.deletion","objectId":2}]"#
                .utf8
        )
        let timestamp = "1767225600000"
        let message = Array("POSThttp://127.0.0.1:8080/webhooks/hubspot".utf8) + body + Array(timestamp.utf8)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(Self.secret.utf8)))).base64EncodedString()
        let verified = try await HubSpotWebhookVerifier(secrets: [Self.secret]).verify(
            body: body,
            headers: Self.headers(signature: signature, timestamp: timestamp, host: "127.0.0.1:8080", target: "/webhooks/hubspot"),
            now: Date(timeIntervalSince1970: 1_767_225_600)
        )
        #expect(verified.accountID == "62515")
        #expect(verified.eventType == "contact.propertyChange,deal.deletion")
        #expect(HubSpotConnector.changes(for: verified) == [.resync(entity: "contacts"), .resync(entity: "opportunities")])
    }
}
