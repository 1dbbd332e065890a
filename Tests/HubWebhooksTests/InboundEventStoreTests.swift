import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

@testable import HubWebhooks

/// Retention of inbound provider events, against the shared test database; each test uses a
/// connection of its own.
final class InboundEventStoreTests: XCTestCase {
    /// Finished events (processed, ignored, failed) whose processing ended before the cutoff are
    /// deleted, in batches; an event still to process is kept however old, and so is one that
    /// finished recently although it was received long ago.
    func testPruneDeletesOnlyOldFinishedEvents() async throws {
        try await EventStoreTests.withStore { client, logger in
            let organization = UUID()
            let connection = UUID()
            try await client.query(
                """
                INSERT INTO connections (id, org_id, provider, name, status, created_by)
                VALUES (\(connection), \(organization), 'stripe', 'retention test', 'connected', 'test')
                """,
                logger: logger
            )
            // Still to process, and even carrying an old processed_at it is kept: the status decides.
            let oldReceived = try await Self.insert("received", received: 40, processed: 40, connection, organization, client, logger)
            let oldProcessed = try await Self.insert("processed", received: 40, processed: 40, connection, organization, client, logger)
            let oldIgnored = try await Self.insert("ignored", received: 40, processed: 35, connection, organization, client, logger)
            let oldFailed = try await Self.insert("failed", received: 40, processed: 31, connection, organization, client, logger)
            let lateProcessed = try await Self.insert("processed", received: 40, processed: 1, connection, organization, client, logger)
            let recentFailed = try await Self.insert("failed", received: 2, processed: 1, connection, organization, client, logger)
            let recentReceived = try await Self.insert("received", received: 0, processed: nil, connection, organization, client, logger)

            let store = InboundEventStore(client: client, logger: logger)
            // A batch of 2 for 3 old rows: the pass must go on past a full batch.
            let deleted = try await store.prune(olderThan: .seconds(30 * 86_400), batch: 2)
            XCTAssertGreaterThanOrEqual(deleted, 3, "the old finished events were not all counted")

            let remaining = try await Self.ids(of: connection, client, logger)
            XCTAssertEqual(remaining, [oldReceived, lateProcessed, recentFailed, recentReceived])
            XCTAssertTrue(remaining.isDisjoint(with: [oldProcessed, oldIgnored, oldFailed]))

            let again = try await store.prune(olderThan: .seconds(30 * 86_400), batch: 2)
            XCTAssertEqual(again, 0, "a second pass found more to delete")
            let unchanged = try await Self.ids(of: connection, client, logger)
            XCTAssertEqual(unchanged, remaining)

            try await client.query("DELETE FROM inbound_events WHERE connection_id = \(connection)", logger: logger)
            try await client.query("DELETE FROM connections WHERE id = \(connection)", logger: logger)
        }
    }

    /// One event of `connection` with the given status, received and (when finished) processed
    /// that many days ago.
    static func insert(
        _ status: String,
        received: Int,
        processed: Int?,
        _ connection: UUID,
        _ organization: UUID,
        _ client: PostgresClient,
        _ logger: Logger
    ) async throws -> UUID {
        let id = UUID()
        try await client.query(
            """
            INSERT INTO inbound_events (id, org_id, connection_id, provider, event_id, event_type, body, status, received_at, processed_at)
            VALUES (\(id), \(organization), \(connection), 'stripe', \(id.uuidString), 'customer.updated', '\\x7b7d'::bytea, \(status),
                now() - make_interval(days => \(received)::int), now() - make_interval(days => \(processed)::int))
            """,
            logger: logger
        )
        return id
    }

    static func ids(of connection: UUID, _ client: PostgresClient, _ logger: Logger) async throws -> Set<UUID> {
        let rows = try await client.query("SELECT id FROM inbound_events WHERE connection_id = \(connection)", logger: logger)
        var ids = Set<UUID>()
        for try await id in rows.decode(UUID.self) { ids.insert(id) }
        return ids
    }
}
