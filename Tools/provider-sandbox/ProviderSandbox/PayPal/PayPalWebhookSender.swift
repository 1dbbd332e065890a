import Foundation
import HubCore
import NIOHTTP1
import Synchronization

/// PayPal's webhooks as PayPal sends them: one POST per webhook registered in the merchant's app,
/// the event JSON (`id` `WH-…`, `event_version`, `create_time`, `resource_type`,
/// `resource_version`, `event_type`, `summary`, `resource`, `links`) with the transmission
/// headers `PAYPAL-TRANSMISSION-ID`, `-TIME`, `-SIG`, `PAYPAL-CERT-URL` and `PAYPAL-AUTH-ALGO`
/// (`SHA256withRSA`), signed for that webhook's id.
final class PayPalWebhookSender: Sendable {
    /// A webhook the merchant registered: PayPal's id for it and where it posts.
    struct Webhook: Sendable, Codable {
        var id: String
        var url: String
    }

    /// One POST made: where, what the receiver answered, and the exact headers.
    struct Delivery: Sendable {
        var webhook: Webhook
        var status: Int?
        var headers: HTTPHeaders
    }

    let dispatcher: WebhookDispatcher
    private let webhooks = Mutex<[Webhook]>([])

    init(dispatcher: WebhookDispatcher) {
        self.dispatcher = dispatcher
    }

    /// The signing key and certificate, made when first asked for.
    var signer: PayPalWebhookSigner {
        get throws { try PayPalWebhookSigner.shared.get() }
    }

    /// Registers a webhook URL (as the Developer Dashboard does); PayPal's ids are 17 letters and digits.
    func register(url: String) -> Webhook {
        let alphabet = Array("ABCDEFGHJKLMNPRSTUVWXY0123456789")
        let webhook = Webhook(id: String((0..<17).map { _ in alphabet.randomElement()! }), url: url)
        webhooks.withLock { $0.append(webhook) }
        return webhook
    }

    /// The event body PayPal would send for `resource`.
    static func event(id: String, type: String, resourceType: String, summary: String, resource: JSONValue, apiBase: String) -> JSONValue {
        let created = ISO8601DateFormatter().string(from: Date())
        let link = "\(apiBase)/v1/notifications/webhooks-events/\(id)"
        return [
            "id": .string(id), "event_version": "1.0", "create_time": .string(created), "resource_type": .string(resourceType),
            "resource_version": "2.0", "event_type": .string(type), "summary": .string(summary), "resource": resource,
            "links": [
                ["href": .string(link), "rel": "self", "method": "GET"], ["href": .string(link + "/resend"), "rel": "resend", "method": "POST"],
            ],
        ]
    }

    /// Sends `body` to every registered webhook, each signed for its own id; the certificate is
    /// named under `apiBase` (the address the sandbox was reached at, standing in for PayPal's host).
    func send(_ body: [UInt8], apiBase: String) async throws -> [Delivery] {
        let signer = try signer
        var deliveries: [Delivery] = []
        for webhook in webhooks.withLock({ $0 }) {
            let transmissionID = UUID().uuidString.lowercased()
            let time = ISO8601DateFormatter().string(from: Date())
            let headers: HTTPHeaders = [
                "Content-Type": "application/json", "PAYPAL-TRANSMISSION-ID": transmissionID, "PAYPAL-TRANSMISSION-TIME": time,
                "PAYPAL-TRANSMISSION-SIG": signer.signature(transmissionID: transmissionID, time: time, webhookID: webhook.id, body: body),
                "PAYPAL-CERT-URL": "\(apiBase)/v1/notifications/certs/\(signer.certificateID)", "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            ]
            await dispatcher.dispatch(provider: "paypal", to: [webhook.url], headers: headers, body: body)
            let status = dispatcher.sent(for: "paypal").last { $0.url == webhook.url }?.status
            deliveries.append(Delivery(webhook: webhook, status: status, headers: headers))
        }
        return deliveries
    }
}
