import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies Xero webhooks: `x-xero-signature` must be the base64 HMAC-SHA256 of the exact body
/// with the app's webhook key. Xero signs no timestamp and gives events no id: the event id is
/// the body's digest, so a redelivered batch is recognised.
///
/// A batch names its tenant in every event; the verified webhook's account is that tenant when
/// they all agree (Xero sends one tenant's events together in practice), none otherwise. An
/// intent-to-receive request (no events) verifies to the event type `INTENT_TO_RECEIVE` with no
/// account: acknowledged, routed nowhere.
public struct XeroWebhookVerifier: WebhookVerifier {
    let keys: [SymmetricKey]

    /// - Parameter keys: the app's webhook key; during a rotation, the new and the old one.
    public init(keys: [String]) {
        self.keys = keys.filter { !$0.isEmpty }.map { SymmetricKey(data: Array($0.utf8)) }
    }

    public static let intentToReceive = "INTENT_TO_RECEIVE"

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: "x-xero-signature")?.trimmingWhitespace(), !header.isEmpty else { throw .missingSignature }
        guard let signature = Data(base64Encoded: header), signature.count == SHA256.byteCount else { throw .malformedSignature }
        guard !keys.isEmpty else { throw .unknownKey }
        let matches = keys.contains { ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: body, using: $0)), Array(signature)) }
        guard matches else { throw .signatureMismatch }
        guard let payload = JSONReader.parse(body), let events = payload["events"]?.arrayValue else { throw .malformedBody }
        let tenants = VerifiedWebhook.accounts(events.compactMap { $0["tenantId"]?.stringValue })
        // `INVOICE.UPDATE`, as the catalog lists them; a mixed batch names each kind once.
        let kinds = Set(events.map { "\($0["eventCategory"]?.stringValue ?? "").\($0["eventType"]?.stringValue ?? "")" }).sorted()
        return VerifiedWebhook(
            eventID: sha256Hex(body),
            accountID: tenants.accountID,
            accountIDs: tenants.accountIDs,
            eventType: events.isEmpty ? Self.intentToReceive : kinds.joined(separator: ","),
            payload: payload
        )
    }
}
