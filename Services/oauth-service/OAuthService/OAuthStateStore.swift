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

/// A provider's callback that passed every check the callback itself can make, waiting for the
/// user who started the authorization to complete it. The code is exchanged only then, so a
/// callback a user did not start (an authorization link from someone in another organization)
/// never turns their consent into a connection elsewhere.
struct ParkedCallback: Codable, Sendable, Equatable {
    var pending: PendingAuthorization
    var code: String
    /// What the provider's callback rules extracted (QuickBooks `realmId`, Shopify `shop`).
    var callbackValues: [String: String]
}

/// Issues and consumes OAuth `state` values, and parks callbacks under single-use handles.
///
/// Only SHA-256 digests of states and handles are Redis keys, so reading the keys gives nothing
/// to present. What is parked (the code, a PKCE verifier) is useless without the client secret,
/// which never leaves the service's configuration, and lives for minutes.
struct OAuthStateStore: Sendable {
    let redis: RedisClient
    /// How long a user has to come back from the provider.
    var lifetime: Duration = .seconds(600)
    /// How long a parked callback waits for its user; providers' codes live about as long.
    var parkedLifetime: Duration = .seconds(300)

    static func key(_ state: String) -> String { "hub:oauth:state:" + sha256Hex(Array(state.utf8)) }
    static func parkedKey(_ handle: String) -> String { "hub:oauth:callback:" + sha256Hex(Array(handle.utf8)) }

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

    /// Parks a checked callback and returns its single-use handle.
    func park(_ callback: ParkedCallback) async throws -> String {
        let handle = Self.randomToken(bytes: 32)
        let body = String(decoding: try JSONEncoder.hub.encode(callback), as: UTF8.self)
        _ = try await redis.set(Self.parkedKey(handle), body, condition: .nx, expiry: .seconds(Int(parkedLifetime.components.seconds)))
        return handle
    }

    /// The parked callback, removed so it completes at most once; nil when unknown, expired or spent.
    func claim(_ handle: String) async throws -> ParkedCallback? {
        guard !handle.isEmpty, handle.utf8.count <= 256, let body = try await redis.getdel(Self.parkedKey(handle)) else { return nil }
        return try? JSONDecoder.hub.decode(ParkedCallback.self, from: Data(body.utf8))
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
