import Foundation
import HubCore
import PostgresNIO

extension RecordStore {
    /// Writes one record an inbound webhook carried, on `db` (the event's transaction), unless
    /// the store already holds a newer state of it: providers do not promise to deliver events in
    /// order, and a retried old event must not undo a newer one. The row is locked first, so two
    /// events for one record apply one after the other.
    public func applyWebhook(_ record: PreparedRecord, scope: Scope, on db: PostgresConnection) async throws -> PageResult? {
        let rows = try await db.query(
            """
            SELECT remote_updated_at FROM sync_records
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND external_id = \(record.externalID)
            FOR UPDATE
            """, logger: logger)
        for try await stored in rows.decode(Date?.self) {
            if let stored, let incoming = record.remoteUpdatedAt, incoming < stored { return nil }
        }
        return try await applyPull([record], deletedIDs: [], scope: scope, on: db)
    }
}
