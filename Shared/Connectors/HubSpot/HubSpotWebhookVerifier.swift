import Crypto
import Foundation
import HubCore
import NIOHTTP1

/// Verifies HubSpot's v3 webhook signatures: `X-HubSpot-Signature-v3` must be the base64
/// HMAC-SHA256, keyed with the app's client secret, of the method (`POST`), the full URI HubSpot
/// called, the exact body and `X-HubSpot-Request-Timestamp` (milliseconds), and the timestamp
/// within five minutes of now.
///
/// The URI is the receiver's public address as HubSpot saw it: the `X-Forwarded-Host` or `Host`
/// with the request target webhook-service passes in `requestTargetHeader` (it overwrites any
/// such header a sender set); both schemes are tried, since a TLS-terminating proxy hides which
/// one HubSpot used and the scheme is not what protects the request.
///
/// A body is a JSON array of events of one portal; the account is that `portalId` (none when a
/// batch mixes portals). HubSpot's retries repeat the events' `eventId`s with a new
/// `attemptNumber`, so the event id is a digest of the sorted event ids, not of the body.
public struct HubSpotWebhookVerifier: WebhookVerifier {
    let check: SignedWebhookCheck
    let tolerance: TimeInterval

    /// The header webhook-service puts the request target (`/webhooks/hubspot?…`) in.
    public static let requestTargetHeader = SignedWebhookRequest.requestTargetHeader
    public static let signatureHeaders = ["X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp"]
    public static let defaultTolerance: TimeInterval = 300

    /// - Parameter secrets: the app's client secret; during a rotation, the new and the old one.
    public init(secrets: [String], tolerance: TimeInterval = defaultTolerance) {
        let secrets = secrets
        self.init(tolerance: tolerance) { request in Self.signs(request, secrets: secrets) }
    }

    /// Checks signatures elsewhere (oauth-service, which alone holds the secret); the timestamp's
    /// tolerance and the body are checked here.
    public init(tolerance: TimeInterval = defaultTolerance, check: @escaping SignedWebhookCheck) {
        self.check = check
        self.tolerance = tolerance
    }

    /// Whether the request's v3 signature is the base64 HMAC-SHA256 of method, URL (either
    /// scheme), body and timestamp under one of `secrets`, compared in constant time.
    public static func signs(_ request: SignedWebhookRequest, secrets: [String]) -> Bool {
        guard let header = request.header(signatureHeaders[0])?.trimmingWhitespace(), let signature = Data(base64Encoded: header),
            signature.count == SHA256.byteCount, let timestamp = request.header(signatureHeaders[1])?.trimmingWhitespace(),
            request.url.hasPrefix("https://")
        else { return false }
        let keys = secrets.filter { !$0.isEmpty }.map { SymmetricKey(data: Array($0.utf8)) }
        let uris = [request.url, "http://" + request.url.dropFirst("https://".count)]
        return uris.contains { uri in
            let message = Array("\(request.method)\(uri)".utf8) + request.body + Array(timestamp.utf8)
            return keys.contains { ConstantTime.equals(Array(HMAC<SHA256>.authenticationCode(for: message, using: $0)), Array(signature)) }
        }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let header = headers.first(name: "X-HubSpot-Signature-v3")?.trimmingWhitespace(), !header.isEmpty else { throw .missingSignature }
        guard let signature = Data(base64Encoded: header), signature.count == SHA256.byteCount else { throw .malformedSignature }
        guard let timestamp = headers.first(name: "X-HubSpot-Request-Timestamp")?.trimmingWhitespace(), let sent = Double(timestamp) else {
            throw .malformedSignature
        }
        let signed = SignedWebhookRequest(body: body, received: headers, signatureHeaders: Self.signatureHeaders)
        guard try await check(signed) else { throw .signatureMismatch }
        guard abs(now.timeIntervalSince1970 - sent / 1000) <= tolerance else { throw .timestampOutOfTolerance }
        guard let payload = JSONReader.parse(body), let events = payload.arrayValue else { throw .malformedBody }
        let portals = VerifiedWebhook.accounts(events.compactMap { $0["portalId"]?.idText })
        let kinds = Set(events.compactMap { $0["subscriptionType"]?.stringValue }).sorted()
        let ids = events.compactMap { $0["eventId"]?.idText }.sorted()
        return VerifiedWebhook(
            eventID: ids.isEmpty ? sha256Hex(body) : sha256Hex(Array(ids.joined(separator: ",").utf8)),
            accountID: portals.accountID,
            accountIDs: portals.accountIDs,
            eventType: kinds.joined(separator: ","),
            payload: payload
        )
    }
}
