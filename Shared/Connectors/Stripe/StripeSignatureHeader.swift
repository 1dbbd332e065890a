import HubCore

/// A parsed `Stripe-Signature` header: `t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`.
///
/// Every `v1` is kept — Stripe sends one per active secret while a secret is being rolled — and
/// anything malformed is reported as `malformedSignature`, never a crash: oversized headers,
/// a missing or non-numeric `t`, two different `t`s, no `v1`. Other schemes (`v0`, test-mode
/// extras) and items without `=` are ignored, as Stripe's libraries do.
struct StripeSignatureHeader: Sendable, Equatable {
    /// The signed timestamp, unix seconds.
    var timestamp: Int
    /// The `v1` signatures, lower-cased; only well-formed ones (64 hex digits) are kept.
    var signatures: [String]

    /// Longer headers are refused before any parsing: a real one is well under 1 KB.
    static let maximumLength = 4096

    init(parsing header: String) throws(WebhookVerificationError) {
        guard header.utf8.count <= Self.maximumLength else { throw .malformedSignature }
        var timestamp: Int?
        var signatures: [String] = []
        for item in header.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals].trimmingWhitespace()
            let value = item[item.index(after: equals)...].trimmingWhitespace()
            switch key {
            case "t":
                // Digits only (no sign, no spaces), and few enough to be a plausible time.
                guard !value.isEmpty, value.utf8.count <= 12, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                    let parsed = Int(value), timestamp == nil || timestamp == parsed
                else { throw .malformedSignature }
                timestamp = parsed
            case "v1":
                let lowered = value.lowercased()
                if lowered.utf8.count == 64, lowered.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
                    signatures.append(lowered)
                }
            default:
                continue
            }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformedSignature }
        self.timestamp = timestamp
        self.signatures = signatures
    }
}
