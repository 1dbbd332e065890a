import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies Stripe's webhooks as Stripe's libraries do: HMAC-SHA256 of `"<t>.<raw body>"` keyed
/// with the endpoint secret (the `whsec_…` string's UTF-8 bytes), hex, compared in constant time
/// with every `v1` in `Stripe-Signature`; accepted if any matches (several appear while a secret
/// is rolled). Then the timestamp must be within the tolerance (300 s, Stripe's default) of
/// now — in either direction, which also refuses events stamped in the future. Any input gives a
/// `VerifiedWebhook` or a `WebhookVerificationError`; nothing else is thrown and nothing traps.
public struct StripeWebhookVerifier: WebhookVerifier {
    public static let defaultTolerance: TimeInterval = 300

    /// The endpoint's signing secrets: the current one, and the previous one while it is rolled.
    let secrets: [String]
    let tolerance: TimeInterval

    public init(secret: String, tolerance: TimeInterval = defaultTolerance) {
        self.init(secrets: [secret], tolerance: tolerance)
    }

    public init(secrets: [String], tolerance: TimeInterval = defaultTolerance) {
        self.secrets = secrets.filter { !$0.isEmpty }
        self.tolerance = tolerance
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard !secrets.isEmpty else { throw .unknownKey }
        let values = headers["Stripe-Signature"]
        guard !values.isEmpty else { throw .missingSignature }
        let header = try StripeSignatureHeader(parsing: values.joined(separator: ","))
        let signed = Array("\(header.timestamp).".utf8) + body
        var matched = false
        for secret in secrets {
            let expected = Array(Self.signature(signed: signed, secret: secret).utf8)
            for candidate in header.signatures where ConstantTime.equals(expected, Array(candidate.utf8)) {
                matched = true
            }
        }
        guard matched else { throw .signatureMismatch }
        guard abs(now.timeIntervalSince1970 - TimeInterval(header.timestamp)) <= tolerance else { throw .timestampOutOfTolerance }
        return try Self.event(from: body)
    }

    /// Hex HMAC-SHA256 of the signed bytes: what Stripe puts in `v1`.
    static func signature(signed: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.hexString
    }

    /// The `Stripe-Signature` value Stripe would send for `body` at `timestamp` (for tests and for
    /// the hub's own test deliveries).
    public static func header(for body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(signature(signed: Array("\(timestamp).".utf8) + body, secret: secret))"
    }

    /// The event's id, type and (for Connect) account.
    static func event(from body: [UInt8]) throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let payload = JSONReader.parse(body),
            let id = payload[stripe: "id"]?.stripeString, !id.isEmpty,
            let type = payload[stripe: "type"]?.stripeString, !type.isEmpty
        else { throw .malformedBody }
        return VerifiedWebhook(eventID: id, accountID: payload[stripe: "account"]?.stripeString, eventType: type, payload: payload)
    }
}
