import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies Slack Events API requests: `X-Slack-Signature` must be `v0=` and the hex
/// HMAC-SHA256, with the app's signing secret, of `v0:{X-Slack-Request-Timestamp}:{raw body}`,
/// the timestamp within five minutes of now (Slack's own advice against replays).
///
/// The event id is the callback's `event_id` (`Ev…`, the same on Slack's retries); a
/// `url_verification` request has none and gets the body's digest. The account is the workspace
/// (`team_id`), which a connection's `auth.test` recorded as its account.
public struct SlackWebhookVerifier: WebhookVerifier {
    let keys: [SymmetricKey]
    public static let tolerance: TimeInterval = 300

    /// - Parameter secrets: the app's signing secret; during a rotation, the new and the old one.
    public init(secrets: [String]) {
        keys = secrets.filter { !$0.isEmpty }.map { SymmetricKey(data: Array($0.utf8)) }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: "x-slack-signature")?.trimmingWhitespace(), !header.isEmpty,
            let stamp = headers.first(name: "x-slack-request-timestamp")?.trimmingWhitespace(), !stamp.isEmpty
        else { throw .missingSignature }
        guard header.hasPrefix("v0="), let signature = Self.hexBytes(header.dropFirst(3)), signature.count == SHA256.byteCount,
            let seconds = Int(stamp)
        else { throw .malformedSignature }
        guard !keys.isEmpty else { throw .unknownKey }
        let base = Array("v0:\(stamp):".utf8) + body
        guard keys.contains(where: { ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: base, using: $0)), signature) }) else {
            throw .signatureMismatch
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= Self.tolerance else { throw .timestampOutOfTolerance }
        guard let payload = JSONReader.parse(body), let type = payload["type"]?.stringValue else { throw .malformedBody }
        let inner = payload["event"]?["type"]?.stringValue
        return VerifiedWebhook(
            eventID: payload["event_id"]?.stringValue ?? sha256Hex(body),
            accountID: payload["team_id"]?.stringValue,
            eventType: type == "event_callback" ? (inner ?? type) : type,
            payload: payload
        )
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
