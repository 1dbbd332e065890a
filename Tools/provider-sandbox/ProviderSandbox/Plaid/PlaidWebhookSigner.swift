import Crypto
import Foundation
import Synchronization

/// Signs Plaid webhooks as Plaid does: a `Plaid-Verification` JWT, ES256 with a P-256 key the
/// sandbox generates at start, header `{alg, kid, typ}`, claims `{iat, request_body_sha256}`.
/// Receivers fetch the public key by `kid` from `/webhook_verification_key/get`. Rotating keeps
/// the old key retrievable, marked expired.
final class PlaidWebhookSigner: Sendable {
    /// The public half as `/webhook_verification_key/get` returns it.
    struct PublicJWK: Encodable, Sendable {
        var alg = "ES256"
        var crv = "P-256"
        var kid: String
        var kty = "EC"
        var use = "sig"
        var x: String
        var y: String
        var createdAt: Int
        var expiredAt: Int?

        enum CodingKeys: String, CodingKey {
            case alg, crv, kid, kty, use, x, y
            case createdAt = "created_at"
            case expiredAt = "expired_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(alg, forKey: .alg)
            try container.encode(crv, forKey: .crv)
            try container.encode(kid, forKey: .kid)
            try container.encode(kty, forKey: .kty)
            try container.encode(use, forKey: .use)
            try container.encode(x, forKey: .x)
            try container.encode(y, forKey: .y)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(expiredAt, forKey: .expiredAt)
        }
    }

    private struct State {
        var keys: [String: (key: P256.Signing.PrivateKey, jwk: PublicJWK)] = [:]
        var current = ""
    }

    private let state = Mutex(State())

    init() {
        _ = rotate()
    }

    /// Starts signing with a new key; the previous one stays retrievable with `expired_at` set.
    @discardableResult
    func rotate() -> String {
        let key = P256.Signing.PrivateKey()
        let raw = Array(key.publicKey.rawRepresentation)
        let kid = UUID().uuidString.lowercased()
        let now = Int(Date().timeIntervalSince1970)
        let jwk = PublicJWK(kid: kid, x: Self.base64URL(raw[0..<32]), y: Self.base64URL(raw[32..<64]), createdAt: now, expiredAt: nil)
        state.withLock { state in
            if var previous = state.keys[state.current] {
                previous.jwk.expiredAt = now
                state.keys[state.current] = previous
            }
            state.keys[kid] = (key, jwk)
            state.current = kid
        }
        return kid
    }

    func publicKey(_ kid: String) -> PublicJWK? {
        state.withLock { $0.keys[kid]?.jwk }
    }

    /// The `Plaid-Verification` header value for `body`, issued at `now`.
    func sign(_ body: [UInt8], now: Date = Date()) -> String {
        let (key, kid) = state.withLock { ($0.keys[$0.current]?.key, $0.current) }
        guard let key else { return "" }
        let header = #"{"alg":"ES256","kid":"\#(kid)","typ":"JWT"}"#
        let claims =
            #"{"iat":\#(Int(now.timeIntervalSince1970)),"request_body_sha256":"\#(SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())"}"#
        let signingInput = Self.base64URL(Array(header.utf8)) + "." + Self.base64URL(Array(claims.utf8))
        guard let signature = try? key.signature(for: Array(signingInput.utf8)) else { return "" }
        return signingInput + "." + Self.base64URL(Array(signature.rawRepresentation))
    }

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
