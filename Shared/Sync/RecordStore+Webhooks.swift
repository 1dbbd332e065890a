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
        let (result, older) = try await applyWebhooks([record], scope: scope, on: db)
        return older.isEmpty ? result : nil
    }

    /// `applyWebhook` for several records of one scope at once, in the statements one takes (a
    /// batch of inbound webhooks writes its records together); the external ids must differ.
    /// Returns what was written and the ids of the records older than the stored state, which
    /// were not.
    public func applyWebhooks(
        _ records: [PreparedRecord],
        scope: Scope,
        on db: PostgresConnection
    ) async throws -> (result: PageResult, older: Set<String>) {
        assert(Set(records.map(\.externalID)).count == records.count, "one state of a record at a time")
        let result = try await applyPull(records, deletedIDs: [], scope: scope, keepingNewer: true, on: db)
        // Nothing written for these: each was unchanged, or older than the stored state. Which
        // one only names the outcome, so the lookup is paid for them alone.
        let written = Set(result.changes.map(\.externalID)).union(result.conflicts.map(\.externalID))
        let unwritten = records.filter { $0.remoteUpdatedAt != nil && !written.contains($0.externalID) }
        guard !unwritten.isEmpty else { return (result, []) }
        let rows = try await db.query(
            """
            SELECT external_id, remote_updated_at FROM sync_records
            WHERE connection_id = \(scope.connection) AND entity = \(scope.entity) AND external_id = ANY(\(unwritten.map(\.externalID)))
            """,
            logger: logger
        )
        var stored: [String: Date?] = [:]
        for try await (externalID, updatedAt) in rows.decode((String, Date?).self) { stored[externalID] = updatedAt }
        let older = unwritten.filter { record in stored[record.externalID].map { Self.isOlder(record, than: $0) } ?? false }
        return (result, Set(older.map(\.externalID)))
    }
}
