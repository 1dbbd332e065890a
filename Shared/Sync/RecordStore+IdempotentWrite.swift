import Crypto
import Foundation
import HubCore
import PostgresNIO

/// Local writes a caller may send again (Zapier retries an action it did not see answered):
/// with an idempotency key, the first request's record is written in the same transaction as the
/// key, the same request again answers that record without writing, and another request under
/// the same key is refused. Requests with one key are serialized by a transaction lock, so two
/// sent at once still write one record.
extension RecordStore {
    /// A create (no id) or an update of one record's canonical fields.
    public struct LocalWrite: Sendable {
        public var connection: UUID
        public var entity: String
        public var recordID: UUID?
        public var fields: JSONValue

        public init(connection: UUID, entity: String, recordID: UUID?, fields: JSONValue) {
            self.connection = connection
            self.entity = entity
            self.recordID = recordID
            self.fields = fields
        }

        /// What "the same request" means: connection, entity, record and fields (keys sorted).
        var fingerprint: [UInt8] {
            var bytes = Array("\(connection.uuidString.lowercased())\n\(entity)\n\(recordID?.uuidString.lowercased() ?? "")\n".utf8)
            bytes += fields.encoded(.sorted)
            return sha256(bytes)
        }
    }

    public struct LocalWriteOutcome: Sendable {
        public var record: SyncRecord
        /// Whether the (first) request created the record rather than updated it.
        public var created: Bool
        /// Whether this answer repeats an earlier request's (nothing was written now).
        public var replayed: Bool
    }

    enum Stored {
        case written(UUID, created: Bool, replayed: Bool)
        case reused
    }

    /// How long an action's `Idempotency-Key` holds its first answer, in seconds: 24 hours, as
    /// Stripe keeps its own.
    static let idempotencyKeyLifetime: Double = 24 * 3600

    /// Writes once per `idempotencyKey` (when given, for `idempotencyKeyLifetime`). Nil when the record to update does not
    /// exist (or is deleted); `SyncError.idempotencyKeyReused` when the key came with another request.
    public func writeLocal(organization: UUID, _ write: LocalWrite, idempotencyKey: String?) async throws -> LocalWriteOutcome? {
        let fingerprint = write.fingerprint
        // A refusal is returned, not thrown, out of the transaction (which would wrap the error).
        let result: Stored? = try await client.withTransaction(logger: logger) { db in
            if let idempotencyKey {
                try await db.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(organization.uuidString + "/" + idempotencyKey), 7201))",
                    logger: logger
                )
                let earlier = try await db.query(
                    """
                    SELECT request_hash, record_id, created FROM zapier_action_requests
                    WHERE org_id = \(organization) AND idempotency_key = \(idempotencyKey)
                        AND created_at > now() - make_interval(secs => \(Self.idempotencyKeyLifetime))
                    """,
                    logger: logger
                )
                for try await (hash, record, created) in earlier.decode((Data, UUID, Bool).self) {
                    guard ConstantTime.equals(Array(hash), fingerprint) else { return .reused }
                    return .written(record, created: created, replayed: true)
                }
            }
            let record: SyncRecord?
            if let id = write.recordID {
                record = try await Self.updateLocal(
                    organization: organization,
                    connection: write.connection,
                    entity: write.entity,
                    id: id,
                    fields: write.fields,
                    on: db,
                    logger: logger
                )
            } else {
                record = try await Self.createLocal(
                    organization: organization,
                    connection: write.connection,
                    entity: write.entity,
                    fields: write.fields,
                    on: db,
                    logger: logger
                )
            }
            guard let record else { return nil }
            if let idempotencyKey {
                try await db.query(
                    """
                    INSERT INTO zapier_action_requests (org_id, idempotency_key, request_hash, record_id, created)
                    VALUES (\(organization), \(idempotencyKey), \(Data(fingerprint)), \(record.id), \(write.recordID == nil))
                    ON CONFLICT (org_id, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                        record_id = EXCLUDED.record_id, created = EXCLUDED.created, created_at = now()
                    """,
                    logger: logger
                )
                // The organization's expired keys go with its writes, a bounded batch each
                // (zapier_action_requests_expiry, 0024): no sweeper to run, and a quiet
                // organization holds only its last day's keys.
                try await db.query(
                    """
                    DELETE FROM zapier_action_requests WHERE (org_id, idempotency_key) IN (
                        SELECT org_id, idempotency_key FROM zapier_action_requests
                        WHERE org_id = \(organization) AND created_at <= now() - make_interval(secs => \(Self.idempotencyKeyLifetime))
                        ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
                    """,
                    logger: logger
                )
            }
            return .written(record.id, created: write.recordID == nil, replayed: false)
        }
        guard let result else { return nil }
        guard case .written(let id, let created, let replayed) = result else { throw SyncError.idempotencyKeyReused }
        guard let record = try await record(organization: organization, connection: write.connection, entity: write.entity, id: id)
        else { return nil }
        return LocalWriteOutcome(record: record, created: created, replayed: replayed)
    }
}
