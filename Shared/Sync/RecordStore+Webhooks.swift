import Foundation
import HubCore
import PostgresNIO

extension RecordStore {
    /// Writes one record an inbound webhook carried, on `db` (the event's transaction), unless
    /// the store already holds a newer state of it: providers do not promise to deliver events in
    /// order, and a retried old event must not undo a newer one. Returns nil for such a stale event.
    ///
    /// The age check is part of the upsert (`keepingNewer`), which locks the row, so two events
    /// for one record apply one after the other, and it goes through the unique key the upsert
    /// arbitrates on rather than a lookup of its own (see docs/performance.md).
    public func applyWebhook(_ record: PreparedRecord, scope: Scope, on db: PostgresConnection) async throws -> PageResult? {
        let result = try await applyPull([record], deletedIDs: [], scope: scope, keepingNewer: true, on: db)
        guard result.changes.isEmpty, result.conflicts.isEmpty, record.remoteUpdatedAt != nil else { return result }
        // Nothing written: the record was unchanged, or older than the stored state. Which one
        // only names the outcome, so the lookup is paid on this path alone.
        let rows = try await db.query(
            """
            SELECT remote_updated_at FROM sync_records
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND external_id = \(record.externalID)
            """,
            logger: logger
        )
        for try await stored in rows.decode(Date?.self) where Self.isOlder(record, than: stored) { return nil }
        return result
    }
}
