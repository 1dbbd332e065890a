import Foundation
import HubCore
import Logging
import PostgresNIO

/// Reads of connections: one, the live one per provider or account, pages, credentials, history.
extension ConnectionRepository {
    /// - Parameter connection: the transaction to read in, if the caller holds one.
    public func get(organization: UUID, id: UUID, on connection: PostgresConnection? = nil) async throws -> Connection? {
        try await client.withConnection(reusing: connection) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM connections WHERE org_id = \(organization) AND id = \(id)",
                logger: logger
            )
            return try await rows.decode(rows: Connection.self).first
        }
    }

    /// The organization's connection with this id, or `ConnectionError.notFound`.
    public func require(organization: UUID, id: UUID) async throws -> Connection {
        guard let connection = try await get(organization: organization, id: id) else { throw ConnectionError.notFound }
        return connection
    }

    /// The live connection of an organization to a provider, if any.
    public func live(organization: UUID, provider: String) async throws -> Connection? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM connections
            WHERE org_id = \(organization) AND provider = \(provider) AND status <> 'disconnected'
            """,
            logger: logger
        )
        return try await rows.decode(rows: Connection.self).first
    }

    /// Every live connection, in any organization, to this provider account: where an inbound
    /// webhook for the account goes (one shop may be connected by several organizations).
    public func reaching(provider: String, accountID: String) async throws -> [Connection] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM connections
            WHERE provider = \(provider) AND account_id = \(accountID) AND status <> 'disconnected'
            LIMIT 100
            """,
            logger: logger
        )
        return try await rows.decode(rows: Connection.self)
    }

    /// A connection by id alone, for a webhook addressed to it; live ones only.
    public func live(id: UUID, provider: String) async throws -> Connection? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM connections
            WHERE id = \(id) AND provider = \(provider) AND status <> 'disconnected'
            """,
            logger: logger
        )
        return try await rows.decode(rows: Connection.self).first
    }

    /// Newest first. The cursor is `<created_at microseconds>:<id>` of the last row seen.
    public func list(organization: UUID, filter: Filter, page: PageRequest) async throws -> [Connection] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM connections
            WHERE org_id = \(organization)
                AND (\(filter.provider)::text IS NULL OR provider = \(filter.provider))
                AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
                AND (\(filter.includeDisconnected) OR status <> 'disconnected')
                AND (\(cursor?.time)::timestamptz IS NULL OR (created_at, id) < (\(cursor?.time), \(cursor?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        return try await rows.decode(rows: Connection.self)
    }

    /// The cursor key of a row for `list`.
    public static func cursorKey(_ connection: Connection) -> String {
        TimeOrderedCursor.key(createdAt: connection.createdAt, id: connection.id)
    }

    /// The sealed credentials and their version, or nil when none are stored.
    public func sealedCredentials(organization: UUID, id: UUID) async throws -> (sealed: SealedSecret, version: Int64)? {
        let rows = try await client.query(
            """
            SELECT credential_key_id, credential_ciphertext, credential_version FROM connections
            WHERE org_id = \(organization) AND id = \(id) AND credential_key_id IS NOT NULL
            """,
            logger: logger
        )
        for try await (keyID, bytes, version) in rows.decode((String, Data, Int64).self) {
            return (SealedSecret(keyID: keyID, ciphertext: Array(bytes)), version)
        }
        return nil
    }

    /// The status history, newest first.
    public func history(organization: UUID, id: UUID, limit: Int = 50) async throws -> [ConnectionStatusChange] {
        let rows = try await client.query(
            """
            SELECT status, reason, actor, changed_at FROM connection_status_history
            WHERE org_id = \(organization) AND connection_id = \(id) ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var changes: [ConnectionStatusChange] = []
        for try await (status, reason, actor, changedAt) in rows.decode((ConnectionStatus, String?, String, Date).self) {
            changes.append(ConnectionStatusChange(status: status, reason: reason, actor: actor, changedAt: changedAt))
        }
        return changes
    }

    /// Connected connections whose access token expires before `deadline`, soonest first: what
    /// the refresh loop works on. Across organizations (a background job, not a user route).
    public func expiring(before deadline: Date, limit: Int) async throws -> [(organization: UUID, id: UUID)] {
        let rows = try await client.query(
            """
            SELECT org_id, id FROM connections
            WHERE status = 'connected' AND token_expires_at IS NOT NULL AND token_expires_at < \(deadline)
            ORDER BY token_expires_at LIMIT \(limit)
            """,
            logger: logger
        )
        var found: [(UUID, UUID)] = []
        for try await row in rows.decode((UUID, UUID).self) { found.append(row) }
        return found
    }
}
