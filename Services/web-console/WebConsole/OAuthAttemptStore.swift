import Foundation
import HubCore
import HubRedis

/// The OAuth attempt a session started, per provider: the popup's opener accepts a result only
/// with this id, so a stale or foreign popup cannot report success.
struct OAuthAttemptStore: Sendable {
    let redis: RedisClient

    static func key(_ session: ConsoleSession, _ provider: String) -> String {
        "console:oauth-attempt:" + sha256Hex(Data((session.csrfToken + "|" + provider).utf8))
    }

    func record(_ attempt: String, session: ConsoleSession, provider: String) async throws {
        try await redis.set(Self.key(session, provider), attempt, expiry: .seconds(900))
    }

    func take(session: ConsoleSession, provider: String) async throws -> String? {
        try await redis.getdel(Self.key(session, provider))
    }
}
