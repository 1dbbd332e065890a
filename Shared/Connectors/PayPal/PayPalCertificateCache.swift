import Foundation
import HubCore
import X509

/// PayPal's webhook signing certificates by URL, fetched on first sight of a `PAYPAL-CERT-URL`
/// and kept (PayPal serves them with a day's `max-age` and rotates them by URL). Only PayPal's
/// message-verification certificate is kept: its common name must start with
/// `messageverificationcerts` and end with `.paypal.com`. A URL that failed is not asked again
/// for a minute, so forged headers cannot make the hub hammer PayPal. The URLs were checked
/// against the allow-list before they get here, so the cache is shared by every connection.
actor PayPalCertificateCache {
    /// What the verifier needs of a certificate.
    struct Entry: Sendable {
        var key: Certificate.PublicKey
        var notValidBefore: Date
        var notValidAfter: Date
    }

    typealias Fetch = @Sendable (String) async throws(ConnectorError) -> [UInt8]

    /// One per process: a certificate URL names the same certificate for every connection.
    static let shared = PayPalCertificateCache()
    static let refusalMemory: TimeInterval = 60
    static let capacity = 100

    private var entries: [String: Entry] = [:]
    private var refused: [String: Date] = [:]

    /// The certificate at `url`, or nil when it cannot be had or is not PayPal's.
    func certificate(_ url: String, now: Date, fetch: Fetch) async -> Entry? {
        if let entry = entries[url] { return entry }
        if let refusedAt = refused[url], now.timeIntervalSince(refusedAt) < Self.refusalMemory { return nil }
        guard let pem = try? await fetch(url), let entry = Self.parse(pem) else {
            if refused.count >= Self.capacity * 10 { refused.removeAll() }
            refused[url] = now
            return nil
        }
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[url] = entry
        return entry
    }

    /// The certificate's key and validity, if it is PayPal's message-verification certificate.
    static func parse(_ pem: [UInt8]) -> Entry? {
        guard let certificate = try? Certificate(pemEncoded: String(decoding: pem, as: UTF8.self)) else { return nil }
        let names = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }.compactMap { String($0.value) }
        guard names.contains(where: { $0.hasPrefix("messageverificationcerts") && $0.hasSuffix(".paypal.com") }) else { return nil }
        return Entry(key: certificate.publicKey, notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter)
    }
}
