
import Foundation
import HubCore
import HubRedis

/// What an authorization started with, kept in Redis under a random `state` until the callback
/// consumes it (GETDEL: single use) or it expires.
struct PendingAuthorization: Codable, Sendable, Equatable {
    var organizationID: UUID
    var subject: String
    var provider: String
    /// The PKCE verifier, when the provider takes PKCE.
    var codeVerifier: String?
    /// Validated provider-specific inputs (Shopify `shop_domain`).
    var parameters: [String: String]
    var requestID: String?
}

/// Issues and consumes OAuth `state` values.
struct OAuthStateStore: Sendable {
    let redis: RedisClient
    /// How long a user has to come back from the provider.
    var lifetime: Duration = .seconds(600)

    static func key(_ state: String) -> String { "hub:oauth:state:" + sha256Hex(Array(state.utf8)) }

    /// Stores the pending authorization under a fresh random state and returns the state.
    func issue(_ pending: PendingAuthorization) async throws -> String {
        let state = Self.randomToken(bytes: 32)
        let body = String(decoding: try JSONEncoder.hub.encode(pending), as: UTF8.self)
        let seconds = Int(lifetime.components.seconds)
        _ = try await redis.set(Self.key(state), body, condition: .nx, expiry: .seconds(seconds))
        return state
    }

    /// The pending authorization, removed so the state can never be used again; nil when the
    /// state is unknown, expired or already used.
    func consume(_ state: String) async throws -> PendingAuthorization? {
        guard !state.isEmpty, state.utf8.count <= 256, let body = try await redis.getdel(Self.key(state)) else { return nil }
        return try? JSONDecoder.hub.decode(PendingAuthorization.self, from: Data(body.utf8))
    }

    /// URL-safe base64 of random bytes: states and PKCE verifiers (43 characters for 32 bytes).
    static func randomToken(bytes: Int) -> String {
        base64URL(Data((0..<bytes).map { _ in UInt8.random(in: 0...255) }))
    }

    /// The PKCE S256 challenge of a verifier.
    static func challenge(for verifier: String) -> String {
        base64URL(Data(sha256(Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
