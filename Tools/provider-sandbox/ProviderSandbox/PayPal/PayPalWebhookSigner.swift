import Crypto
import Foundation
import HubConnectors
import X509
import _CryptoExtras

/// The sandbox's stand-in for PayPal's message-verification certificate: an RSA-2048 key made
/// on first use (once a process) and a self-signed certificate for it with PayPal's sandbox common name, served at
/// `/paypal/v1/notifications/certs/<certificateID>`. Signs as PayPal does: RSA PKCS#1 v1.5 with
/// SHA-256 (`SHA256withRSA`) over `<transmission id>|<time>|<webhook id>|<CRC-32 of the body>`.
struct PayPalWebhookSigner: Sendable {
    static let commonName = "messageverificationcerts.sandbox.paypal.com"

    let key: _RSA.Signing.PrivateKey
    /// `CERT-xxxxxxxx-xxxxxxxx-xxxxxxxx`, PayPal's form; random, so a sandbox restarted on the
    /// same port never serves another key under a URL a receiver cached.
    let certificateID: String
    let certificatePEM: String

    init() throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName {
            CountryName("US")
            OrganizationName("PayPal, Inc.")
            CommonName(Self.commonName)
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 365 * 86_400,
            issuer: name,
            subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions {},
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        certificateID = "CERT-" + (0..<3).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max)) }.joined(separator: "-")
    }

    /// The base64 `PAYPAL-TRANSMISSION-SIG` for a transmission.
    func signature(transmissionID: String, time: String, webhookID: String, body: [UInt8]) -> String {
        let message = "\(transmissionID)|\(time)|\(webhookID)|\(CRC32.checksum(body))"
        guard let signature = try? key.signature(for: Data(message.utf8), padding: .insecurePKCS1v1_5) else { return "" }
        return signature.rawRepresentation.base64EncodedString()
    }
}

extension PayPalWebhookSigner {
    /// Made on first use, once a process: an RSA key takes seconds to make in a debug build, and
    /// most sandboxes (every test's) never send a PayPal webhook.
    static let shared: Result<PayPalWebhookSigner, any Error> = Result { try PayPalWebhookSigner() }
}
