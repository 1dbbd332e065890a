import Crypto
import Foundation

/// Signs a message per Standard Webhooks: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
/// one entry per valid secret, space-separated (during a rotation both the new and the previous
/// secret sign, so receivers holding either accept it).
public enum StandardWebhookSigner {
    public static func signature(id: String, timestamp: Int, body: some DataProtocol, secrets: [SigningSecret]) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The three headers of one attempt.
    public static func headers(id: String, timestamp: Int, body: some DataProtocol, secrets: [SigningSecret]) -> [(String, String)] {
        [
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body, secrets: secrets)),
        ]
    }
}
