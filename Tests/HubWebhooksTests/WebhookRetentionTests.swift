import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

@testable import HubWebhooks

/// Retention of outbound events, their deliveries and attempts, against the shared test database;
/// each test uses an organization and subscription of its own. Before a test writes its rows, a
/// pass deletes whatever earlier runs left past the retention, so the counts a prune returns are
/// the test's own.
final class WebhookRetentionTests: XCTestCase {
    static let retention = Duration.seconds(30 * 86_400)

    /// An old event whose deliveries all finished goes with them and their attempts, and so does
    /// an old event that never had a delivery.
    func testOldFinishedEventsAreDeletedWithTheirDeliveriesAndAttempts() async throws {
        try await Fixture.run { fixture in
            _ = try await fixture.event(daysAgo: 40, deliveries: [("delivered", 3), ("failed", 1), ("cancelled", 0)])
            _ = try await fixture.event(daysAgo: 31, deliveries: [])
            let pruned = try await fixture.retention.prune(olderThan: Self.retention)
            XCTAssertEqual(pruned, WebhookRetention.Pruned(events: 2, deliveries: 3, attempts: 4))
            let left = try await fixture.remaining()
            XCTAssertEqual(left, Fixture.Left())
        }
    }

    /// One pending delivery among finished ones keeps an old event whole: it is still being sent
    /// (or was resent), and its log must not lose the other deliveries.
    func testAnOldEventWithAPendingDeliveryIsKeptWhole() async throws {
        try await Fixture.run { fixture in
            let sending = try await fixture.event(daysAgo: 40, deliveries: [("delivered", 1), ("pending", 3), ("failed", 2)])
            let pruned = try await fixture.retention.prune(olderThan: Self.retention)
            XCTAssertEqual(pruned, WebhookRetention.Pruned())
            let left = try await fixture.remaining()
            XCTAssertEqual(left, Fixture.Left(events: [sending], deliveries: [sending: 3], attempts: [sending: 6]))
        }
    }

    /// Finished events inside the retention are kept, beside old ones that go.
    func testRecentFinishedEventsAreKept() async throws {
        try await Fixture.run { fixture in
            let recent = try await fixture.event(daysAgo: 29, deliveries: [("delivered", 1), ("failed", 2)])
            _ = try await fixture.event(daysAgo: 40, deliveries: [("delivered", 1)])
            let pruned = try await fixture.retention.prune(olderThan: Self.retention)
            XCTAssertEqual(pruned, WebhookRetention.Pruned(events: 1, deliveries: 1, attempts: 1))
            let left = try await fixture.remaining()
            XCTAssertEqual(left, Fixture.Left(events: [recent], deliveries: [recent: 2], attempts: [recent: 3]))
        }
    }

    /// A batch deletes at most its limit, and a prune goes on batch after batch until one comes
    /// back short: five old events with a limit of 2 all go (2, then 2 + 1 in a second prune).
    func testAPruneDeletesInBatchesUntilEveryOldEventIsGone() async throws {
        try await Fixture.run { fixture in
            for _ in 0..<5 { _ = try await fixture.event(daysAgo: 40, deliveries: [("delivered", 2)]) }
            let first = try await fixture.retention.pruneBatch(olderThan: Self.retention, limit: 2)
            XCTAssertEqual(first, WebhookRetention.Pruned(events: 2, deliveries: 2, attempts: 4))
            let rest = try await fixture.retention.prune(olderThan: Self.retention, batch: 2)
            XCTAssertEqual(rest, WebhookRetention.Pruned(events: 3, deliveries: 3, attempts: 6))
            let left = try await fixture.remaining()
            XCTAssertEqual(left, Fixture.Left())
        }
    }

    /// A delivery another transaction holds (a resend or recover making it pending) keeps its
    /// event for a later pass instead of being waited for or deleted under it.
    func testAnEventWithADeliveryHeldElsewhereIsKeptUntilItIsReleased() async throws {
        try await Fixture.run { fixture in
            let held = try await fixture.event(daysAgo: 40, deliveries: [("failed", 1), ("delivered", 1)])
            let (locked, didLock) = AsyncStream.makeStream(of: Void.self)
            let (pruning, pruneDone) = AsyncStream.makeStream(of: Void.self)
            // Holds the failed delivery, as a resend or recover updating it would, until the prune
            // below is done, or for 5 s at most: a prune that waited for the row then goes on and
            // the test fails instead of hanging.
            let holder = Task {
                defer { didLock.finish() }
                try await fixture.client.withTransaction(logger: fixture.logger) { db in
                    try await db.query(
                        "SELECT 1 FROM webhook_deliveries WHERE event_id = \(held) AND status = 'failed' FOR UPDATE",
                        logger: fixture.logger
                    )
                    didLock.finish()
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { for await _ in pruning {} }
                        group.addTask { try? await Task.sleep(for: .seconds(5)) }
                        await group.next()
                        group.cancelAll()
                    }
                }
            }
            for await _ in locked {}
            let pruned = try await fixture.retention.prune(olderThan: Self.retention)
            pruneDone.finish()
            try await holder.value
            XCTAssertEqual(pruned, WebhookRetention.Pruned())
            let left = try await fixture.remaining()
            XCTAssertEqual(left, Fixture.Left(events: [held], deliveries: [held: 2], attempts: [held: 2]))
            let released = try await fixture.retention.prune(olderThan: Self.retention)
            XCTAssertEqual(released, WebhookRetention.Pruned(events: 1, deliveries: 2, attempts: 2))
        }
    }

    /// The rows of one test: an organization and a subscription its deliveries belong to.
    struct Fixture {
        let client: PostgresClient
        let logger: Logger
        let retention: WebhookRetention
        let organization = UUID()
        let subscription = UUID()

        /// Runs `body` with a fresh fixture and deletes its rows afterwards, also when it failed
        /// (an event kept for a pending delivery would otherwise stay in the shared database).
        static func run(_ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
            try await EventStoreTests.withStore { client, logger in
                let retention = WebhookRetention(client: client, retention: WebhookRetentionTests.retention, logger: logger)
                let fixture = Fixture(client: client, logger: logger, retention: retention)
                _ = try await fixture.retention.prune(olderThan: WebhookRetentionTests.retention)
                try await client.query(
                    """
                    INSERT INTO webhook_subscriptions (id, org_id, url, event_types, secret_key_id, secret_ciphertext)
                    VALUES (\(fixture.subscription), \(fixture.organization), 'https://example.com/hook', '{*}', 'test', '\\x00'::bytea)
                    """,
                    logger: logger
                )
                do {
                    try await body(fixture)
                } catch {
                    try await fixture.delete()
                    throw error
                }
                try await fixture.delete()
            }
        }

        /// An event created that many days ago with a delivery per (status, attempts made).
        func event(daysAgo days: Int, deliveries: [(status: String, attempts: Int)]) async throws -> UUID {
            let event = UUID()
            try await client.query(
                """
                INSERT INTO webhook_events (id, org_id, type, payload, source, created_at)
                VALUES (\(event), \(organization), 'invoice.paid', '{}', 'api', now() - make_interval(days => \(days)::int))
                """,
                logger: logger
            )
            for (status, attempts) in deliveries {
                let delivery = UUID()
                try await client.query(
                    """
                    INSERT INTO webhook_deliveries (id, org_id, subscription_id, event_id, event_type, status, attempt_count)
                    VALUES (\(delivery), \(organization), \(subscription), \(event), 'invoice.paid', \(status), \(attempts))
                    """,
                    logger: logger
                )
                try await client.query(
                    """
                    INSERT INTO webhook_attempts (delivery_id, attempt, org_id, attempted_at, latency_ms)
                    SELECT \(delivery), n, \(organization), now(), 10 FROM generate_series(1, \(attempts)::int) n
                    """,
                    logger: logger
                )
            }
            return event
        }

        /// The organization's events, and its deliveries and attempts counted per event.
        struct Left: Equatable {
            var events: Set<UUID> = []
            var deliveries: [UUID: Int] = [:]
            var attempts: [UUID: Int] = [:]
        }

        func remaining() async throws -> Left {
            var events = Set<UUID>()
            for try await id in try await client.query("SELECT id FROM webhook_events WHERE org_id = \(organization)", logger: logger)
                .decode(UUID.self)
            {
                events.insert(id)
            }
            let deliveries = try await countPerEvent("webhook_deliveries d")
            let attempts = try await countPerEvent("webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id")
            return Left(events: events, deliveries: deliveries, attempts: attempts)
        }

        private func countPerEvent(_ from: String) async throws -> [UUID: Int] {
            var counts: [UUID: Int] = [:]
            let rows = try await client.query(
                "SELECT d.event_id, count(*)::int FROM \(unescaped: from) WHERE d.org_id = \(organization) GROUP BY d.event_id",
                logger: logger
            )
            for try await (event, count) in rows.decode((UUID, Int).self) { counts[event] = count }
            return counts
        }

        func delete() async throws {
            try await client.query("DELETE FROM webhook_attempts WHERE org_id = \(organization)", logger: logger)
            try await client.query("DELETE FROM webhook_deliveries WHERE org_id = \(organization)", logger: logger)
            try await client.query("DELETE FROM webhook_events WHERE org_id = \(organization)", logger: logger)
            try await client.query("DELETE FROM webhook_subscriptions WHERE id = \(subscription)", logger: logger)
        }
    }
}
