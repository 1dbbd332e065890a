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
    public static let signatureHeader = "X-Shopify-Hmac-Sha256"

    let check: SignedWebhookCheck

    /// - Parameter secrets: the app's client secret; during a rotation, the new and the old one.
    public init(secrets: [String]) {
        let secrets = secrets
        check = { request in Self.signs(request, secrets: secrets) }
    }

    /// Checks signatures elsewhere (oauth-service, which alone holds the secret).
    public init(check: @escaping SignedWebhookCheck) {
        self.check = check
    }

    /// Whether the request's signature header is the base64 HMAC-SHA256 of its body under one of
    /// `secrets`, compared in constant time.
    public static func signs(_ request: SignedWebhookRequest, secrets: [String]) -> Bool {
        guard let header = request.header(signatureHeader)?.trimmingWhitespace(), let signature = Data(base64Encoded: header),
            signature.count == SHA256.byteCount
        else { return false }
        return secrets.filter { !$0.isEmpty }.contains { secret in
            let key = SymmetricKey(data: Array(secret.utf8))
            return ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: request.body, using: key)), Array(signature))
        }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: Self.signatureHeader)?.trimmingWhitespace(), !header.isEmpty else {
            throw .missingSignature
        }
        guard let signature = Data(base64Encoded: header), signature.count == SHA256.byteCount else { throw .malformedSignature }
        let signed = SignedWebhookRequest(body: body, received: headers, signatureHeaders: [Self.signatureHeader])
        guard try await check(signed) else { throw .signatureMismatch }
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
