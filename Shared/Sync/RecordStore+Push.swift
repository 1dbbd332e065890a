import Foundation
import HubCore
import PostgresNIO

/// The push side of the store: local writes waiting to be sent, and what the provider answered.
extension RecordStore {
    /// A local write waiting for a push.
    public struct PendingWrite: Sendable {
        public enum Operation: String, Sendable, PostgresTextEnum { case create, update, delete }
        public var id: UUID
        public var externalID: String?
        public var operation: Operation
        /// The canonical fields the write sets.
        public var fields: JSONValue
        /// The whole record as stored (the write included): where a push finds what the changed
        /// fields are written in, such as the currency of changed amounts.
        public var record: JSONValue
        public var version: Int64
        public var contentHash: String?
        public var since: Date
    }

    /// The next `limit` pending writes after `after` (in the order they were written).
    public func pendingWrites(scope: Scope, after: (since: Date, id: UUID)?, limit: Int) async throws -> [PendingWrite] {
        let afterTime = after?.since
        let afterID = after?.id
        let rows = try await client.query(
            """
            SELECT id, external_id, pending_op, coalesce(pending_fields, '{}'::jsonb), local_version, encode(content_hash, 'hex'),
                pending_since, canonical::jsonb
            FROM sync_records
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND org_id = \(scope.organization)
                AND pending_op IS NOT NULL
                AND (\(afterTime)::timestamptz IS NULL OR (pending_since, id) > (\(afterTime), \(afterID)))
            ORDER BY pending_since, id LIMIT \(limit)
            """,
            logger: logger
        )
        var writes: [PendingWrite] = []
        let columns = (UUID, String?, PendingWrite.Operation, JSONValue, Int64, String?, Date, JSONValue).self
        for try await (id, external, operation, fields, version, hash, since, record) in rows.decode(columns) {
            writes.append(
                PendingWrite(
                    id: id,
                    externalID: external,
                    operation: operation,
                    fields: fields,
                    record: record,
                    version: version,
                    contentHash: hash,
                    since: since
                )
            )
        }
        return writes
    }

    /// Records what the provider answered a pushed write. The pending mark is cleared only if no
    /// newer local write came meanwhile (then that one waits for the next push, as an update).
    ///
    /// A created object can reach the store before its create's answer does: the provider's
    /// "created" webhook, or a pull, stores it as a row of its own. That row is the same object,
    /// so the pushed record takes its place (the copy goes, unless someone has written to it
    /// since: then the push is a record-level problem to look at). The provider id's uniqueness
    /// used to fail the write every time, and each retry of the job created the object again.
    public func pushed(_ write: PendingWrite, answer: PreparedRecord?) async throws {
        if write.operation == .delete {
            try await client.query(
                """
                UPDATE sync_records SET deleted_at = coalesce(deleted_at, now()), pushed_at = now(), local_updated_at = now(),
                    pending_op = NULL, pending_fields = NULL, pending_since = NULL
                WHERE id = \(write.id) AND local_version = \(write.version)
                """,
                logger: logger
            )
            return
        }
        guard let answer else { return }
        let updated = answer.remoteUpdatedAt
        try await client.withTransaction(logger: logger) { db in
            if write.operation == .create {
                let copies = try await db.query(
                    """
                    DELETE FROM sync_records c USING sync_records w
                    WHERE w.id = \(write.id) AND c.connection_id = w.connection_id AND c.entity = w.entity
                        AND c.external_id = \(answer.externalID) AND c.id <> w.id AND c.pending_op IS NULL
                    RETURNING c.id
                    """,
                    logger: logger
                )
                for try await copy in copies.decode(UUID.self) {
                    logger.info("a pushed record took the place of the copy its provider's news made", metadata: ["record_id": "\(copy)"])
                }
            }
            try await Self.recordPushed(write, answer: answer, updated: updated, on: db, logger: logger)
        }
    }

    static func recordPushed(_ write: PendingWrite, answer: PreparedRecord, updated: Date?, on db: PostgresConnection, logger: Logger) async throws {
        try await db.query(
            """
            UPDATE sync_records SET external_id = \(answer.externalID), payload = \(answer.payload),
                payload_is_providers = \(answer.payloadIsProviders),
                content_hash = decode(\(answer.contentHash), 'hex'), remote_updated_at = coalesce(\(updated), remote_updated_at),
                pushed_at = now(),
                local_updated_at = now(),
                canonical = CASE WHEN local_version = \(write.version) THEN \(answer.canonicalText) ELSE canonical END,
                pending_op = CASE WHEN local_version = \(write.version) THEN NULL ELSE 'update' END,
                pending_fields = CASE WHEN local_version = \(write.version) THEN NULL ELSE pending_fields END,
                pending_since = CASE WHEN local_version = \(write.version) THEN NULL ELSE pending_since END
            WHERE id = \(write.id) AND pending_op IS NOT NULL
            """,
            logger: logger
        )
    }

    /// The remote payload stored for `write`'s record, to compare a fetched one with when the
    /// hashes differ.
    public func storedPayload(of write: PendingWrite) async throws -> String? {
        let rows = try await client.query("SELECT payload FROM sync_records WHERE id = \(write.id)", logger: logger)
        for try await payload in rows.decode(String?.self) { return payload }
        return nil
    }

    /// The remote's version won a conflict over a pending local write: take it, drop the write.
    public func acceptRemote(_ write: PendingWrite, remote: PreparedRecord) async throws {
        let updated = remote.remoteUpdatedAt
        try await client.query(
            """
            UPDATE sync_records SET payload = \(remote.payload), content_hash = decode(\(remote.contentHash), 'hex'),
                payload_is_providers = \(remote.payloadIsProviders),
                canonical = \(remote.canonicalText), remote_updated_at = coalesce(\(updated), remote_updated_at),
                local_updated_at = now(),
                pending_op = NULL, pending_fields = NULL, pending_since = NULL
            WHERE id = \(write.id) AND local_version = \(write.version)
            """,
            logger: logger
        )
    }
}
