import Foundation
import HubCore
import PostgresNIO

extension EventStore {
    /// An organization's latest events of one type, newest first, as the exact bodies their
    /// deliveries carry (`{"data", "id", "timestamp", "type"}`): what a Zapier polling trigger
    /// answers, so a polled item and a delivered one look alike and share the stable `id` Zapier
    /// deduplicates on. Events live as long as webhook retention keeps them.
    public func recent(organization: UUID, type: String, limit: Int) async throws -> [String] {
        let rows = try await client.query(
            """
            SELECT payload FROM webhook_events WHERE org_id = \(organization) AND type = \(type)
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var payloads: [String] = []
        for try await payload in rows.decode(String.self) { payloads.append(payload) }
        return payloads
    }
}
