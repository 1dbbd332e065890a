import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies Intuit's webhooks: `intuit-signature` must be the base64 HMAC-SHA256 of the exact
/// body with the app's verifier token (the same for the legacy and the CloudEvents payloads).
///
/// Intuit signs no timestamp and legacy payloads carry no event id, so the event id is the
/// body's digest (a redelivery is the same bytes); a CloudEvents delivery's own `id` is used
/// when it holds one event. The account is the company (`realmId` / `intuitaccountid`); one
/// delivery may name several.
public struct QuickBooksWebhookVerifier: WebhookVerifier {
    let keys: [SymmetricKey]

    /// - Parameter verifierTokens: the app's verifier token; during a rotation, the new and the old one.
    public init(verifierTokens: [String]) {
        keys = verifierTokens.filter { !$0.isEmpty }.map { SymmetricKey(data: Array($0.utf8)) }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: "intuit-signature")?.trimmingWhitespace(), !header.isEmpty else { throw .missingSignature }
        guard let signature = Data(base64Encoded: header), signature.count == SHA256.byteCount else { throw .malformedSignature }
        let matches = keys.contains { key in
            ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: body, using: key)), Array(signature))
        }
        guard matches else { throw .signatureMismatch }
        // Intuit retries a whole batch answered 400, holding back later events: a signed body
        // naming nothing the hub knows is acknowledged (it reaches no connection), not refused.
        guard let payload = JSONReader.parse(body) else { throw .malformedBody }
        let events = QuickBooksWebhookEvent.all(in: payload)
        let accounts = VerifiedWebhook.accounts(events.compactMap(\.realm))
        let eventID: String
        if case .array(let events) = payload, events.count == 1, let id = events[0]["id"]?.stringValue, !id.isEmpty {
            eventID = id
        } else {
            eventID = sha256Hex(body)
        }
        return VerifiedWebhook(
            eventID: eventID,
            accountID: accounts.accountID,
            accountIDs: accounts.accountIDs,
            eventType: events.first?.eventType ?? "unknown",
            payload: payload
        )
    }
}
