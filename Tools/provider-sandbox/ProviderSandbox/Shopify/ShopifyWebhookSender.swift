import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Signs and sends Shopify webhooks: the JSON payload, `X-Shopify-Hmac-Sha256` (base64
/// HMAC-SHA256 of the exact body with the app's client secret) and the topic, shop, version,
/// webhook id, event id and trigger time headers.
struct ShopifyWebhookSender: Sendable {
    let secret: String
    let dispatcher: WebhookDispatcher

    func send(_ event: ShopifyEvent, shop: String, subscribers: [String]) async {
        let body = JSONValue.object(event.payload).encoded()
        await dispatcher.dispatch(
            provider: "shopify",
            to: dispatcher.endpoints(for: "shopify") + subscribers,
            headers: headers(for: event.topic, shop: shop, body: body),
            body: body
        )
    }

    func headers(for topic: String, shop: String, body: [UInt8]) -> HTTPHeaders {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        let triggeredAt = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        return [
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": Data(mac).base64EncodedString(),
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-API-Version": ShopifyProvider.apiVersion,
            "X-Shopify-Webhook-Id": UUID().uuidString.lowercased(),
            "X-Shopify-Event-Id": UUID().uuidString.lowercased(),
            "X-Shopify-Triggered-At": triggeredAt,
        ]
    }
}
