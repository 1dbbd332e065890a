import Foundation
import HubCore
import NIOHTTP1
import X509

/// Verifies PayPal webhooks by PayPal's own (self-verification) scheme, which needs no secret:
/// `PAYPAL-TRANSMISSION-SIG` is the base64 RSA PKCS#1 v1.5 SHA-256 signature (`PAYPAL-AUTH-ALGO`
/// `SHA256withRSA`) of `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the body, unsigned
/// decimal>`, made with the key of the certificate at `PAYPAL-CERT-URL`. The webhook id is the
/// connection's: an event signed for another webhook (another app, another merchant) does not verify.
/// The certificate is fetched only from PayPal's certificate paths (over HTTPS, which
/// authenticates the host), must be PayPal's message-verification certificate and currently valid.
///
/// No tolerance is put on the transmission time: PayPal retries a webhook for three days, and a
/// replayed event is recognised by its id (the deduplication key).
public struct PayPalWebhookVerifier: WebhookVerifier {
    /// Where PayPal serves its certificates, live and sandbox, as production URLs.
    public static let certificatePrefixes = [
        "https://api.paypal.com/v1/notifications/certs/", "https://api.sandbox.paypal.com/v1/notifications/certs/",
        "https://api-m.paypal.com/v1/notifications/certs/", "https://api-m.sandbox.paypal.com/v1/notifications/certs/",
    ]
    public static let algorithm = "SHA256withRSA"

    let webhookID: String
    /// The allowed certificate URL prefixes, as this environment reaches them.
    let allowedPrefixes: [String]
    let fetch: PayPalCertificateCache.Fetch
    let certificates: PayPalCertificateCache

    init(
        webhookID: String,
        allowedPrefixes: [String] = certificatePrefixes,
        certificates: PayPalCertificateCache = .shared,
        fetch: @escaping PayPalCertificateCache.Fetch
    ) {
        self.webhookID = webhookID
        self.allowedPrefixes = allowedPrefixes
        self.certificates = certificates
        self.fetch = fetch
    }

    /// Fetches certificates with the connection's transport, from PayPal's certificate paths as
    /// this environment maps them (the provider sandbox's in tests).
    public init(webhookID: String, context: ConnectorContext) {
        var prefixes: [String] = []
        for url in Self.certificatePrefixes {
            let resolved = context.endpoints.resolve(url, provider: PayPalConnector.definition.id)
            if !prefixes.contains(resolved) { prefixes.append(resolved) }
        }
        let transport = context.transport
        self.init(webhookID: webhookID, allowedPrefixes: prefixes) { url throws(ConnectorError) in
            let response = try await transport.send(
                ProviderRequest(method: .GET, url: url, headers: ["Accept": "application/x-pem-file"], timeout: .seconds(10)),
                provider: PayPalConnector.definition.id,
                entity: "webhook_certificate"
            ) { response in
                .unavailable(status: response.status, message: "PayPal did not serve the webhook certificate")
            }
            return response.body
        }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        func header(_ name: String) -> String? {
            guard let value = headers.first(name: name)?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        guard let transmissionID = header("PAYPAL-TRANSMISSION-ID"), let time = header("PAYPAL-TRANSMISSION-TIME"),
            let encoded = header("PAYPAL-TRANSMISSION-SIG"), let certificateURL = header("PAYPAL-CERT-URL"),
            let algorithm = header("PAYPAL-AUTH-ALGO")
        else { throw .missingSignature }
        guard algorithm == Self.algorithm, encoded.count <= 2048, let signature = Data(base64Encoded: encoded), !signature.isEmpty
        else { throw .malformedSignature }
        guard Self.allowed(certificateURL, prefixes: allowedPrefixes) else { throw .unknownKey }
        guard let certificate = await certificates.certificate(certificateURL, now: now, fetch: fetch),
            certificate.notValidBefore <= now, now <= certificate.notValidAfter
        else { throw .unknownKey }
        let message = Self.signedMessage(transmissionID: transmissionID, time: time, webhookID: webhookID, body: body)
        guard certificate.key.isValidSignature(signature, for: Array(message.utf8), signatureAlgorithm: .sha256WithRSAEncryption) else {
            throw .signatureMismatch
        }
        guard let payload = JSONReader.parse(body), case .string(let eventID)? = payload["id"], !eventID.isEmpty,
            case .string(let type)? = payload["event_type"], !type.isEmpty
        else { throw .malformedBody }
        // PayPal's events name no account: the connection's endpoint URL routes them.
        return VerifiedWebhook(eventID: eventID, accountID: nil, eventType: type, payload: payload)
    }

    /// What PayPal signs.
    static func signedMessage(transmissionID: String, time: String, webhookID: String, body: [UInt8]) -> String {
        "\(transmissionID)|\(time)|\(webhookID)|\(CRC32.checksum(body))"
    }

    /// Whether the certificate URL is one certificate (`CERT-…`, one path segment of letters,
    /// digits and dashes) under an allowed prefix: no other path, query or host can be reached.
    static func allowed(_ url: String, prefixes: [String]) -> Bool {
        guard url.count <= 300, let prefix = prefixes.first(where: { url.hasPrefix($0) }) else { return false }
        let name = url.dropFirst(prefix.count)
        return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
