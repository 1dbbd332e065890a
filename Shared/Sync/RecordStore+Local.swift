import Foundation
import HubCore
import Logging
import PostgresNIO

/// The records API's side of the store: reading records, and local writes that a push sends.
extension RecordStore {
    static let recordColumns = """
        id, connection_id, entity, external_id, canonical, payload, remote_updated_at, local_updated_at, deleted_at,
        pending_op, pushed_at
        """

    public struct RecordFilter: Sendable {
        public var updatedSince: Date?
        public var includeDeleted: Bool

        public init(updatedSince: Date? = nil, includeDeleted: Bool = false) {
            self.updatedSince = updatedSince
            self.includeDeleted = includeDeleted
        }
    }

    /// A connection's records of one entity, oldest local change first (a change feed: page on
    /// with the cursor, or come back later with `updated_since`).
    public func list(organization: UUID, connection: UUID, entity: String, filter: RecordFilter, page: PageRequest) async throws -> [SyncRecord] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.recordColumns) FROM sync_records
            WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity)
                AND (\(filter.includeDeleted) OR deleted_at IS NULL)
                AND (\(filter.updatedSince)::timestamptz IS NULL OR local_updated_at >= \(filter.updatedSince))
                AND (\(cursor?.time)::timestamptz IS NULL OR (local_updated_at, id) > (\(cursor?.time), \(cursor?.id)))
            ORDER BY local_updated_at, id LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncRecord.self)
    }

    public func record(organization: UUID, connection: UUID, entity: String, id: UUID) async throws -> SyncRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.recordColumns) FROM sync_records
            WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity) AND id = \(id)
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncRecord.self).first
    }

    /// A new local record, to be created at the provider by the next push.
    public func createLocal(organization: UUID, connection: UUID, entity: String, fields: JSONValue) async throws -> SyncRecord {
        try await client.withConnection { db in
            try await Self.createLocal(organization: organization, connection: connection, entity: entity, fields: fields, on: db, logger: logger)
        }
    }

    /// Changes fields of a record locally; the next push sends them. A record not yet created
    /// remotely stays a create (with the fields merged). Objects merge member by member
    /// (`hub_merge_fields`, migration 0032), and a changed object is pushed whole: a provider's
    /// update replaces an address as a whole.
    /// With `versions` (an `If-Match`), only a record whose version is one of them changes.
    public func updateLocal(
        organization: UUID,
        connection: UUID,
        entity: String,
        id: UUID,
        fields: JSONValue,
        ifVersions versions: [Int64]? = nil
    ) async throws -> SyncRecord? {
        try await client.withConnection { db in
            try await Self.updateLocal(
                organization: organization,
                connection: connection,
                entity: entity,
                id: id,
                fields: fields,
                ifVersions: versions,
                on: db,
                logger: logger
            )
        }
    }

    /// `createLocal` on `db` (inside a caller's transaction).
    static func createLocal(
        organization: UUID,
        connection: UUID,
        entity: String,
        fields: JSONValue,
        on db: PostgresConnection,
        logger: Logger
    ) async throws -> SyncRecord {
        let rows = try await db.query(
            """
            INSERT INTO sync_records (id, org_id, connection_id, entity, canonical, pending_op, pending_fields, pending_since, local_version)
            VALUES (\(UUID()), \(organization), \(connection), \(entity), \(fields)::text, 'create', \(fields), now(), 1)
            RETURNING \(unescaped: Self.recordColumns)
            """,
            logger: logger
        )
        guard let record = try await rows.decode(rows: SyncRecord.self).first else { throw PostgresDecodingError.Code.missingData }
        return record
    }

    /// `updateLocal` on `db` (inside a caller's transaction).
    static func updateLocal(
        organization: UUID,
        connection: UUID,
        entity: String,
        id: UUID,
        fields: JSONValue,
        ifVersions versions: [Int64]? = nil,
        on db: PostgresConnection,
        logger: Logger
    ) async throws -> SyncRecord? {
        let rows = try await db.query(
            """
            UPDATE sync_records SET canonical = hub_merge_fields(canonical::jsonb, \(fields))::text,
                pending_op = CASE WHEN pending_op = 'create' THEN 'create' ELSE 'update' END,
                pending_fields = CASE WHEN pending_op = 'create' THEN hub_merge_fields(canonical::jsonb, \(fields))
                    ELSE coalesce(pending_fields, '{}'::jsonb) || (
                        SELECT jsonb_object_agg(p.key, hub_merge_fields(canonical::jsonb -> p.key, p.value)) FROM jsonb_each(\(fields)) AS p
                    ) END,
                pending_since = now(), local_updated_at = now(), local_version = local_version + 1
            WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity) AND id = \(id)
                AND deleted_at IS NULL AND pending_op IS DISTINCT FROM 'delete' AND \(recordVersionIn: versions)
            RETURNING \(unescaped: Self.recordColumns)
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncRecord.self).first
    }

    /// Deletes a record locally: a record never pushed is simply gone; one the provider has is
    /// deleted there by the next push.
    /// With `versions` (an `If-Match`), only a record whose version is one of them is deleted.
    public func deleteLocal(
        organization: UUID,
        connection: UUID,
        entity: String,
        id: UUID,
        ifVersions versions: [Int64]? = nil
    ) async throws -> SyncRecord? {
        let rows = try await client.query(
            """
            UPDATE sync_records SET
                pending_op = CASE WHEN external_id IS NULL THEN NULL ELSE 'delete' END,
                deleted_at = CASE WHEN external_id IS NULL THEN now() ELSE deleted_at END,
                pending_fields = NULL, pending_since = now(), local_updated_at = now(), local_version = local_version + 1
            WHERE org_id = \(organization) AND connection_id = \(connection) AND entity = \(entity) AND id = \(id) AND deleted_at IS NULL
                AND \(recordVersionIn: versions)
            RETURNING \(unescaped: Self.recordColumns)
            """,
            logger: logger
        )
        return try await rows.decode(rows: SyncRecord.self).first
    }
}

extension PostgresQuery.StringInterpolation {
    /// A parenthesized condition on a `sync_records` row: its version (`SyncRecord.etag`, the last
    /// change's time in microseconds, read exactly: numeric since PostgreSQL 14) is one of
    /// `versions`; true without them.
    mutating func appendInterpolation(recordVersionIn versions: [Int64]?) {
        appendInterpolation(unescaped: "(")
        appendInterpolation(versions)
        appendInterpolation(unescaped: "::bigint[] IS NULL OR (extract(epoch FROM local_updated_at) * 1000000)::bigint = ANY(")
        appendInterpolation(versions)
        appendInterpolation(unescaped: "::bigint[]))")
    }
}
