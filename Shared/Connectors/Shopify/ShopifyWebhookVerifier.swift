import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies Shopify webhooks: `X-Shopify-Hmac-Sha256` must be the base64 HMAC-SHA256 of the
/// exact body bytes with the app's client secret.
///
/// Shopify signs no timestamp (`X-Shopify-Triggered-At` is outside the HMAC, so checking it
/// would not stop a replay); replays are caught by deduplicating on `X-Shopify-Webhook-Id`, which
/// becomes the event id.
public struct ShopifyWebhookVerifier: WebhookVerifier {
    let keys: [SymmetricKey]

    /// - Parameter secrets: the app's client secret; during a rotation, the new and the old one.
    public init(secrets: [String]) {
        keys = secrets.filter { !$0.isEmpty }.map { SymmetricKey(data: Array($0.utf8)) }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: "X-Shopify-Hmac-Sha256")?.trimmingWhitespace(), !header.isEmpty else {
            throw .missingSignature
        }
        guard let signature = Data(base64Encoded: header), signature.count == SHA256.byteCount else { throw .malformedSignature }
        let matches = keys.contains { key in
            ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: body, using: key)), Array(signature))
        }
        guard matches else { throw .signatureMismatch }
        guard let topic = headers.first(name: "X-Shopify-Topic"), !topic.isEmpty,
            let payload = JSONReader.parse(body), case .object = payload
        else { throw .malformedBody }
        let eventID = headers.first(name: "X-Shopify-Webhook-Id") ?? headers.first(name: "X-Shopify-Event-Id") ?? sha256Hex(body)
        return VerifiedWebhook(
            eventID: eventID,
            accountID: headers.first(name: "X-Shopify-Shop-Domain")?.lowercased(),
            eventType: topic,
            payload: payload
        )
    }
}
