import Foundation
import HubCore
import HubRedis

/// Server-side sessions in Redis. The browser's cookie holds only a random id; Redis holds its
/// SHA-256, so a copy of Redis cannot be replayed as cookies. Sessions end with their token.
public struct SessionStore: Sendable {
    let redis: RedisClient
    /// The longest a session lives, whatever the token's own expiry.
    public var maximumLifetime: TimeInterval = 8 * 3600

    public init(redis: RedisClient) {
        self.redis = redis
    }

    static func key(_ id: String) -> String { "console:session:" + sha256Hex(Data(id.utf8)) }

    /// Opens a session for a verified token; returns the cookie value and the session.
    public func open(identity: Identity, token: String, tokenExpiresAt: Date?) async throws -> (id: String, session: ConsoleSession) {
        // Whole seconds: the stored session reads back exactly as it was written.
        let limit = min(Date().addingTimeInterval(maximumLifetime), tokenExpiresAt ?? .distantFuture)
        let expiresAt = Date(timeIntervalSince1970: limit.timeIntervalSince1970.rounded(.down))
        let seconds = Int(expiresAt.timeIntervalSinceNow.rounded(.down))
        guard seconds > 0 else { throw APIError.unauthorized("the token has expired") }
        let session = ConsoleSession(
            organizationID: identity.organizationID,
            subject: identity.subject,
            token: token,
            csrfToken: randomToken(),
            expiresAt: expiresAt
        )
        let id = randomToken()
        let json = String(decoding: try JSONEncoder.session.encode(session), as: UTF8.self)
        try await redis.set(Self.key(id), json, expiry: .seconds(seconds))
        return (id, session)
    }

    /// The session a cookie names, or nil when unknown or expired.
    public func find(_ id: String) async throws -> ConsoleSession? {
        guard !id.isEmpty, id.count <= 64, let json = try await redis.get(Self.key(id)) else { return nil }
        guard let session = try? JSONDecoder.session.decode(ConsoleSession.self, from: Data(json.utf8)),
            session.expiresAt > Date()
        else { return nil }
        return session
    }

    /// Ends a session server-side: the cookie is worthless afterwards even if kept.
    public func close(_ id: String) async throws {
        _ = try await redis.del(Self.key(id))
    }
}

extension JSONEncoder {
    static let session: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()
}

extension JSONDecoder {
    static let session: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
