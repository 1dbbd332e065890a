import Crypto
import Foundation

/// The providers' algorithms, written again on the test side so the sandbox's own versions are
/// checked against an independent implementation.
enum OAuthTestCrypto {
    /// RFC 7636 S256: base64url(SHA-256(verifier)) without padding.
    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Shopify's callback HMAC: every parameter but `hmac`, sorted by name, `k=v` joined by `&`,
    /// hex HMAC-SHA256 keyed with the client secret.
    static func shopifyHMAC(_ parameters: [String: String], secret: String) -> String {
        let message = parameters.filter { $0.key != "hmac" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
            separator: "&"
        )
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Salesforce's token signature: base64 HMAC-SHA256 of `id` + `issued_at` keyed with the secret.
    static func salesforceSignature(id: String, issuedAt: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }
}
