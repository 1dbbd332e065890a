import Foundation
import HubCore
import JWTKit
import NIOHTTP1

/// Verifies Plaid webhooks: the `Plaid-Verification` header is a JWT signed ES256 by a key
/// Plaid serves at `/webhook_verification_key/get`; its `iat` must be at most five minutes old
/// and its `request_body_sha256` the SHA-256 of the exact body. Plaid webhooks carry no event
/// id, so the body hash is the deduplication key.
public struct PlaidWebhookVerifier: WebhookVerifier {
    /// The claims Plaid signs.
    struct Claims: JWTPayload {
        var iat: IssuedAtClaim
        var requestBodySHA256: String

        enum CodingKeys: String, CodingKey {
            case iat
            case requestBodySHA256 = "request_body_sha256"
        }

        /// Time is checked by the verifier against the caller's `now`, not here.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// How old (or how far in the future) `iat` may be.
    public static let tolerance: TimeInterval = 300

    let keys: PlaidVerificationKeyCache

    /// - Parameter fetchKey: returns the `key` object of `/webhook_verification_key/get` for a key id.
    public init(fetchKey: @escaping @Sendable (String) async throws(ConnectorError) -> JSONValue) {
        keys = PlaidVerificationKeyCache(fetch: fetchKey)
    }

    /// Fetches keys with the hub's Plaid client credentials through `context`.
    public init(context: ConnectorContext) {
        let connector = PlaidConnector(context: context)
        self.init { kid throws(ConnectorError) in try await connector.webhookVerificationKey(id: kid) }
    }

    public func verify(body: [UInt8], headers: HTTPHeaders, now: Date) async throws(WebhookVerificationError) -> VerifiedWebhook {
        guard let token = headers.first(name: "Plaid-Verification")?.trimmingWhitespace(), !token.isEmpty else {
            throw .missingSignature
        }
        let kid = try Self.keyID(token)
        guard let key = await keys.key(kid, now: now) else { throw .unknownKey }
        guard key.expiredAt == nil else { throw .unknownKey }
        let claims: Claims
        do {
            claims = try await key.keys.verify(token, as: Claims.self)
        } catch {
            throw .signatureMismatch
        }
        guard abs(now.timeIntervalSince(claims.iat.value)) <= Self.tolerance else { throw .timestampOutOfTolerance }
        let digest = sha256Hex(body)
        guard ConstantTime.equals(digest, claims.requestBodySHA256.lowercased()) else { throw .signatureMismatch }
        guard let payload = try? JSONDecoder().decode(JSONValue.self, from: Data(body)), case .object(let fields) = payload,
            case .string(let type)? = fields["webhook_type"], case .string(let code)? = fields["webhook_code"]
        else { throw .malformedBody }
        let itemID: String? = if case .string(let id)? = fields["item_id"] { id } else { nil }
        // Plaid's bodies carry no id, and every SYNC_UPDATES_AVAILABLE of an item is the same
        // bytes: keyed by its body, each one after the first was dropped as a repeat (for the
        // inbound retention), and with it the changes it announced. Each delivery's signed token
        // is its own (its iat), so it is the key: a replayed request is one event, a new one is new.
        return VerifiedWebhook(eventID: sha256Hex(Array(token.utf8)), accountID: itemID, eventType: "\(type).\(code)", payload: payload)
    }

    /// The `kid` of a JWT whose header says ES256; anything else (`none`, HS256 with the public
    /// key as secret) is refused before any key is looked up.
    static func keyID(_ token: String) throws(WebhookVerificationError) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { throw .malformedSignature }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        struct Header: Decodable {
            var alg: String?
            var kid: String?
        }
        guard let data = Data(base64Encoded: base64), let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw .malformedSignature
        }
        guard header.alg == "ES256", let kid = header.kid, !kid.isEmpty, kid.count <= 200 else { throw .malformedSignature }
        return kid
    }
}
