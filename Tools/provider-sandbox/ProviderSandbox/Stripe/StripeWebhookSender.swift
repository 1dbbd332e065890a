import Crypto
import Foundation
import NIOHTTP1

/// Signs events the way Stripe does and hands them to the sandbox's dispatcher:
/// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the whsec string>`.
struct StripeWebhookSender: Sendable {
    let secret: String
    let webhooks: WebhookDispatcher

    static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let signed = Array("\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// Delivers each event to every registered endpoint, in order, and returns when all answered.
    func send(_ events: [[UInt8]]) async {
        guard !events.isEmpty, !webhooks.endpoints(for: "stripe").isEmpty else { return }
        for body in events {
            let timestamp = Int(Date().timeIntervalSince1970)
            let headers: HTTPHeaders = [
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": "t=\(timestamp),v1=\(Self.signature(secret: secret, timestamp: timestamp, body: body))",
            ]
            await webhooks.dispatch(provider: "stripe", headers: headers, body: body)
        }
    }
}
