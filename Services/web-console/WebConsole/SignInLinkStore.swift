import Foundation
import HubCore
import HubRedis

/// One-time sign-in links: `scripts/up` trades the demo organization's token for a link a
/// newcomer clicks. A link works once (`GETDEL`) and only for a few minutes; the token it
/// carries stays server-side.
public struct SignInLinkStore: Sendable {
    let redis: RedisClient
    public var lifetimeSeconds = 600

    public init(redis: RedisClient) {
        self.redis = redis
    }

    static func key(_ id: String) -> String { "console:sign-in-link:" + sha256Hex(Data(id.utf8)) }

    /// A new link id for `token`.
    public func issue(token: String) async throws -> String {
        let id = randomToken()
        try await redis.set(Self.key(id), token, expiry: .seconds(lifetimeSeconds))
        return id
    }

    /// The link's token, spending the link; nil when unknown, expired or already used.
    public func redeem(_ id: String) async throws -> String? {
        guard !id.isEmpty, id.count <= 64 else { return nil }
        return try await redis.getdel(Self.key(id))
    }

    /// Whether the link can still be used (the confirmation page asks before spending it).
    public func isLive(_ id: String) async throws -> Bool {
        guard !id.isEmpty, id.count <= 64 else { return false }
        return try await redis.exists(Self.key(id)) > 0
    }
}
