import Foundation
import HubCore
import HubRedis

/// A refreshed token set between the provider's answer and PostgreSQL's commit. A provider that
/// rotates refresh tokens (QuickBooks, Xero after its grace period) accepts the old one no more
/// once it has answered: were the new set lost (the process killed, PostgreSQL away past the
/// request's deadline), the connection would need its owner to authorize it again. So the set is
/// kept here, sealed as PostgreSQL keeps it, until the commit, and the next refresh of the
/// connection stores it first. It is kept only as a successor of the stored version it replaces:
/// credentials written meanwhile by anyone else (a re-authorization) win over it.
struct RefreshedCredentialStash: Sendable {
    let redis: RedisClient
    /// Longer than any outage worth riding out; shorter than the refresh tokens' own lives.
    static let lifetime = 7 * 86_400

    /// What is kept: the sealed credentials (never their plaintext) and the version they replace.
    struct Entry: Codable {
        var keyID: String
        var ciphertext: Data
        var fieldNames: [String]
        var tokenExpiresAt: Date?
        var refreshTokenExpiresAt: Date?
        var scopes: [String]
        var accountID: String?
        var accountName: String?
        var replaces: Int64

        var stored: ConnectionRepository.StoredCredentials {
            ConnectionRepository.StoredCredentials(
                sealed: SealedSecret(keyID: keyID, ciphertext: Array(ciphertext)),
                fieldNames: fieldNames,
                tokenExpiresAt: tokenExpiresAt,
                refreshTokenExpiresAt: refreshTokenExpiresAt,
                scopes: scopes,
                accountID: accountID,
                accountName: accountName
            )
        }
    }

    static func key(_ connection: UUID) -> String { "hub:refreshed-credentials:\(connection.uuidString.lowercased())" }

    func keep(_ stored: ConnectionRepository.StoredCredentials, replacing version: Int64, connection: UUID) async throws {
        let entry = Entry(
            keyID: stored.sealed.keyID,
            ciphertext: Data(stored.sealed.ciphertext),
            fieldNames: stored.fieldNames,
            tokenExpiresAt: stored.tokenExpiresAt,
            refreshTokenExpiresAt: stored.refreshTokenExpiresAt,
            scopes: stored.scopes,
            accountID: stored.accountID,
            accountName: stored.accountName,
            replaces: version
        )
        let text = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        try await redis.set(Self.key(connection), text, expiry: .seconds(Self.lifetime))
    }

    /// The set kept for the connection, if any (one that cannot be read is dropped).
    func kept(connection: UUID) async throws -> Entry? {
        guard let text = try await redis.get(Self.key(connection)) else { return nil }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(text.utf8)) else {
            try await drop(connection: connection)
            return nil
        }
        return entry
    }

    func drop(connection: UUID) async throws {
        _ = try await redis.del(Self.key(connection))
    }
}
