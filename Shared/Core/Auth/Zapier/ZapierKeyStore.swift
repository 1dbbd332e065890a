import Foundation
import Logging
import PostgresNIO

/// The organizations' Zapier API keys in PostgreSQL. Only the SHA-256 of a key is stored; a
/// presented key is found by its hash and the stored hash compared again in constant time.
public struct ZapierKeyStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = "id, org_id, organization_name, name, prefix, last4, created_at, last_used_at, revoked_at"

    /// A new key for `actor`'s organization, audited as `zapier_key.created`; its text is in the
    /// answer and nowhere else.
    public func create(by actor: AuditActor, organizationName: String, name: String?) async throws -> RevealedZapierKey {
        let text = ZapierKeyText.generate()
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                INSERT INTO zapier_api_keys (id, org_id, organization_name, name, prefix, last4, key_hash)
                VALUES (\(UUID.timeOrdered()), \(actor.organizationID), \(organizationName), \(name),
                    \(String(text.prefix(ZapierKeyText.shownPrefix))), \(String(text.suffix(4))), \(Data(ZapierKeyText.hash(text))))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let key = try await rows.decode(rows: ZapierKey.self).first else { throw PostgresDecodingError.Code.missingData }
            try await AuditLogRepository.record(
                on: db,
                by: actor,
                action: "zapier_key.created",
                resourceType: "zapier_key",
                resourceID: key.id,
                details: ["name": key.name.map { .string($0) } ?? .null, "prefix": .string(key.prefix)],
                logger: logger
            )
            return RevealedZapierKey(key: key, apiKey: text)
        }
    }

    /// The organization's keys not revoked (with `includingRevoked`, the revoked ones too, so a
    /// console can show what was revoked), newest first.
    public func list(organization: UUID, includingRevoked: Bool = false) async throws -> [ZapierKey] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM zapier_api_keys
            WHERE org_id = \(organization) AND (revoked_at IS NULL OR \(includingRevoked)) ORDER BY created_at DESC, id DESC
            """,
            logger: logger
        )
        return try await rows.decode(rows: ZapierKey.self)
    }

    /// Revokes a key, audited as `zapier_key.revoked`: it authenticates nothing from now on.
    /// `removeHooks` deletes the REST hooks it subscribed in the same transaction (and says how
    /// many), so no crash can leave a revoked key's hooks receiving events. False when the
    /// organization has no such live key.
    public func revoke(
        by actor: AuditActor,
        id: UUID,
        removeHooks: (PostgresConnection) async throws -> Int
    ) async throws -> Bool {
        try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                UPDATE zapier_api_keys SET revoked_at = now()
                WHERE org_id = \(actor.organizationID) AND id = \(id) AND revoked_at IS NULL RETURNING id
                """,
                logger: logger
            )
            var revoked = false
            for try await _ in rows { revoked = true }
            guard revoked else { return false }
            let hooksRemoved = try await removeHooks(db)
            try await AuditLogRepository.record(
                on: db,
                by: actor,
                action: "zapier_key.revoked",
                resourceType: "zapier_key",
                resourceID: id,
                details: ["hooks_removed": .number(Double(hooksRemoved))],
                logger: logger
            )
            return true
        }
    }

    /// The live key a caller presented (its use recorded), or nil.
    public func authenticate(_ presented: String) async throws -> ZapierKey? {
        guard ZapierKeyText.isWellFormed(presented) else { return nil }
        let hash = ZapierKeyText.hash(presented)
        let rows = try await client.query(
            """
            UPDATE zapier_api_keys SET last_used_at = now() WHERE key_hash = \(Data(hash)) AND revoked_at IS NULL
            RETURNING \(unescaped: Self.columns), key_hash
            """,
            logger: logger
        )
        for try await (id, org, organizationName, name, prefix, last4, created, lastUsed, revoked, stored) in rows.decode(
            (UUID, UUID, String, String?, String, String, Date, Date?, Date?, Data).self
        ) {
            // The lookup matched the hash already; compared again so no code path depends on the
            // index's byte comparison.
            guard ConstantTime.equals(Array(stored), hash) else { return nil }
            return ZapierKey(columns: (id, org, organizationName, name, prefix, last4, created, lastUsed, revoked))
        }
        return nil
    }
}

extension ZapierKey: PostgresRowDecodable {
    /// The types of `ZapierKeyStore.columns`, in order.
    typealias Columns = (UUID, UUID, String, String?, String, String, Date, Date?, Date?)

    init(columns: Columns) {
        let (id, org, organizationName, name, prefix, last4, created, lastUsed, revoked) = columns
        self.init(
            id: id,
            organizationID: org,
            organizationName: organizationName,
            name: name,
            prefix: prefix,
            last4: last4,
            createdAt: created,
            lastUsedAt: lastUsed,
            revokedAt: revoked
        )
    }

    /// A row of `ZapierKeyStore.columns`.
    public init(row: PostgresRow) throws {
        self.init(columns: try row.decode(Columns.self))
    }
}
