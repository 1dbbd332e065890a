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

    /// Without savepoints, a batch with a failing event keeps nothing and asks to be replayed; the
    /// replay, with savepoints, keeps the other events' work once and counts the failure. On a
    /// database of its own: a batch takes any due event.
    func testABatchWithAFailingEventIsReplayedWithSavepointsAndKeepsTheOthersOnce() async throws {
        let database = try await TestDatabase.create(prefix: "hub_inbound")
        addTeardownBlock { try? await database.drop() }
        try await TestDatabase.withClient(database.url) { client in
            let logger = Logger(label: "test")
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            let (organization, connection) = (UUID(), UUID())
            try await client.query(
                """
                INSERT INTO connections (id, org_id, provider, name, status, created_by)
                VALUES (\(connection), \(organization), 'stripe', 'replay test', 'connected', 'test')
                """,
                logger: logger
            )
            var ids: [UUID] = []
            for _ in 0..<5 { ids.append(try await Self.insert("received", received: 0, processed: nil, connection, organization, client, logger)) }
            let poisoned = ids[2]
            try await client.query("CREATE TABLE marks (event uuid NOT NULL)", logger: logger)
            let store = InboundEventStore(client: client, logger: logger)
            func run(savepoints: Bool) async throws -> Int {
                try await store.processBatch(limit: 10, maxAttempts: 5, retryAfter: { _ in .seconds(60) }, savepoints: savepoints) { event, db in
                    try await db.query("INSERT INTO marks VALUES (\(event.id))", logger: logger)
                    if event.id == poisoned { throw InboundEventStore.ProcessingFailure(message: "poisoned") }
                    return .processed("marked")
                }
            }
            func marks() async throws -> [UUID] {
                try await client.query("SELECT event FROM marks ORDER BY event", logger: logger).collect().map { try $0.decode(UUID.self) }
            }
            func states() async throws -> [UUID: (String, Int, String?)] {
                let rows = try await client.query("SELECT id, status, attempts, outcome FROM inbound_events", logger: logger)
                var states: [UUID: (String, Int, String?)] = [:]
                for try await (id, status, attempts, outcome) in rows.decode((UUID, String, Int, String?).self) {
                    states[id] = (status, attempts, outcome)
                }
                return states
            }

            do {
                _ = try await run(savepoints: false)
                XCTFail("a batch with a failing event ran through without savepoints")
            } catch is InboundEventStore.ReplayWithSavepoints {}
            let marksAfterFastRun = try await marks()
            XCTAssertEqual(marksAfterFastRun, [], "the run without savepoints kept work")
            let untouched = try await states()
            XCTAssertEqual(untouched.values.map(\.0), Array(repeating: "received", count: 5))
            XCTAssertEqual(untouched.values.map(\.1), Array(repeating: 0, count: 5))

            let taken = try await run(savepoints: true)
            XCTAssertEqual(taken, 5)
            let kept = try await marks()
            XCTAssertEqual(kept, ids.filter { $0 != poisoned }.sorted { $0.uuidString < $1.uuidString })
            let after = try await states()
            XCTAssertEqual(after[poisoned]?.0, "received")
            XCTAssertEqual(after[poisoned]?.1, 1)
            XCTAssertEqual(after[poisoned]?.2, "poisoned")
            for id in ids where id != poisoned { XCTAssertEqual(after[id]?.0, "processed", "\(id)") }
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
