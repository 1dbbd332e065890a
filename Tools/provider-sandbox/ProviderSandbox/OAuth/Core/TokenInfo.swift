import Foundation

/// What the sandbox knows about one issued token, as data APIs and the admin API see it.
public struct TokenInfo: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case provider, kind, value, scopes, account, revoked
        case clientID = "client_id"
        case publicClient = "public_client"
        case grantID = "grant_id"
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
    }

    public enum Kind: String, Codable, Sendable {
        case access
        case refresh
    }

    public var provider: String
    public var kind: Kind
    public var value: String
    public var clientID: String
    /// Whether the grant was obtained by a public client (no secret, PKCE), which may then refresh
    /// without a secret too.
    public var publicClient: Bool
    /// The authorization (one consent, or one client-credentials app) the token belongs to; every
    /// token issued by refreshing shares it.
    public var grantID: String
    public var scopes: [String]
    public var account: SandboxOAuthAccount
    public var issuedAt: Date
    /// Nil when the token does not expire.
    public var expiresAt: Date?
    public var revoked: Bool

    /// Whether the token may be used at `now`.
    public func isUsable(at now: Date = Date()) -> Bool {
        !revoked && !isExpired(at: now)
    }

    public func isExpired(at now: Date = Date()) -> Bool {
        expiresAt.map { now >= $0 } ?? false
    }

    /// Seconds left, rounded up (a fresh 1 h token says 3600), for `expires_in` fields; nil for
    /// tokens that do not expire.
    public func secondsLeft(at now: Date = Date()) -> Int? {
        expiresAt.map { max(0, Int($0.timeIntervalSince(now).rounded(.up))) }
    }
}
