import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

@testable import HubWebhooks

/// Claims from the table, against a throwaway database of their own (a claim takes the oldest due
/// deliveries of any organization, so other tests' rows would be claimed too).
final class DeliveryQueueTests: XCTestCase {
    /// Oldest first, at most `perSubscription` in flight per subscription counting what the
    /// worker already holds, a subscription at its limit skipped, the claim's limit kept, and each
    /// claimed row leased with the claim's token and its attempt counted.
    func testAClaimTakesTheOldestWithinEachSubscriptionsLimit() async throws {
        try await Fixture.run { fixture in
            let (a, b) = (try await fixture.subscription(), try await fixture.subscription())
            let events = try await fixture.accept(6, perTransaction: 1)

            let first = try await fixture.queue.claim(limit: 10, perSubscription: 3, inFlight: [a: 1], leaseMilliseconds: 60_000)
            XCTAssertEqual(first.filter { $0.subscriptionID == a }.count, 2)
            XCTAssertEqual(first.filter { $0.subscriptionID == b }.count, 3)
            // In the order claim returns them: oldest first.
            let claimedForB = try await fixture.eventIDs(first.filter { $0.subscriptionID == b })
            XCTAssertEqual(claimedForB, Array(events.prefix(3)), "not the oldest, oldest first")
            XCTAssertEqual(Set(first.map(\.claimToken)).count, 1)
            XCTAssertEqual(Set(first.map(\.attempt)), [1])

            let saturated = try await fixture.queue.claim(limit: 10, perSubscription: 3, inFlight: [a: 3, b: 3], leaseMilliseconds: 60_000)
            XCTAssertEqual(saturated.count, 0, "both subscriptions were at their limit")

            let limited = try await fixture.queue.claim(limit: 4, perSubscription: 3, inFlight: [:], leaseMilliseconds: 60_000)
            XCTAssertEqual(limited.count, 4)
            XCTAssertTrue(Set(limited.map(\.id)).isDisjoint(with: first.map(\.id)), "a leased delivery was claimed twice")

            let rest = try await fixture.queue.claim(limit: 10, perSubscription: 3, inFlight: [:], leaseMilliseconds: 60_000)
            XCTAssertEqual(rest.count, 12 - first.count - limited.count)
        }
    }

    /// Recording a batch of results writes each delivery's state and attempt, starts a failing
    /// subscription's streak, ends a subscription's streak on a success, names the subscriptions
    /// failing too long, and leaves a delivery whose claim was taken over as the new claimer has it.
    func testRecordingResultsKeepsDeliveriesAttemptsAndStreaks() async throws {
        try await Fixture.run { fixture in
            let (failing, recovering) = (try await fixture.subscription(), try await fixture.subscription())
            try await fixture.client.query(
                "UPDATE webhook_subscriptions SET failing_since = now() - interval '1 hour' WHERE id = \(recovering)",
                logger: fixture.logger
            )
            _ = try await fixture.accept(2)
            let claimed = try await fixture.queue.claim(limit: 10, perSubscription: 10, inFlight: [:], leaseMilliseconds: 60_000)
            XCTAssertEqual(claimed.count, 4)
            let now = Date()
            func result(_ delivery: ClaimedDelivery, _ code: Int, _ decision: DeliveryRetryPolicy.Decision) -> DeliveryQueue.Result {
                DeliveryQueue.Result(
                    delivery: delivery,
                    outcome: AttemptOutcome(attemptedAt: now, statusCode: code, latencyMilliseconds: 5),
                    decision: decision
                )
            }
            var results = claimed.map { delivery in
                delivery.subscriptionID == failing ? result(delivery, 500, .retry(after: 30)) : result(delivery, 204, .delivered)
            }
            // A claim taken over meanwhile: its attempt is kept, its delivery left to the new claimer.
            results[0].delivery.claimToken = UUID()
            let disable = try await fixture.queue.record(results, disableAfterSeconds: 3_600)
            XCTAssertTrue(disable.isEmpty, "a streak that began now was named for disabling")

            let rows = try await fixture.client.query(
                """
                SELECT d.id, d.status, d.claim_token IS NULL, d.last_status_code, d.last_error, a.error FROM webhook_deliveries d
                JOIN webhook_attempts a ON a.delivery_id = d.id WHERE d.id = ANY(\(claimed.map(\.id))::uuid[])
                """,
                logger: fixture.logger
            )
            var states: [UUID: (String, Bool, Int?)] = [:]
            var errors: [UUID: (String?, String?)] = [:]
            for try await (id, status, released, code, lastError, attemptError) in rows.decode((UUID, String, Bool, Int?, String?, String?).self) {
                states[id] = (status, released, code)
                errors[id] = (lastError, attemptError)
            }
            for (index, delivery) in claimed.enumerated() {
                let state = try XCTUnwrap(states[delivery.id])
                if index == 0 {
                    XCTAssertEqual(state.0, "pending", "a delivery claimed elsewhere was written")
                    XCTAssertFalse(state.1)
                } else {
                    XCTAssertEqual(state.0, delivery.subscriptionID == failing ? "pending" : "delivered")
                    XCTAssertTrue(state.1, "the claim was not released")
                    XCTAssertEqual(state.2, delivery.subscriptionID == failing ? 500 : 204)
                    // A failure without an error of its own is named by its status; a success has none.
                    let error: String? = delivery.subscriptionID == failing ? "the endpoint answered 500" : nil
                    XCTAssertEqual(errors[delivery.id]?.0, error, "the delivery's last error")
                    XCTAssertEqual(errors[delivery.id]?.1, error, "the attempt's error")
                }
            }
            let attempts = try await fixture.client.query(
                "SELECT count(*)::int FROM webhook_attempts WHERE delivery_id = ANY(\(claimed.map(\.id))::uuid[])",
                logger: fixture.logger
            )
            for try await count in attempts.decode(Int.self) { XCTAssertEqual(count, 4, "every attempt is kept") }
            let streaks = try await fixture.client.query(
                "SELECT id, failing_since IS NOT NULL FROM webhook_subscriptions WHERE id = ANY(\([failing, recovering])::uuid[])",
                logger: fixture.logger
            )
            var failingNow: [UUID: Bool] = [:]
            for try await (id, streak) in streaks.decode((UUID, Bool).self) { failingNow[id] = streak }
            XCTAssertEqual(failingNow, [failing: true, recovering: false])

            // The same failures an hour later (the streak backdated): named for disabling.
            try await fixture.client.query(
                "UPDATE webhook_subscriptions SET failing_since = now() - interval '2 hours' WHERE id = \(failing)",
                logger: fixture.logger
            )
            let retried = try await fixture.queue.record(
                claimed.filter { $0.subscriptionID == failing }.map { result($0, 500, .retry(after: 30)) },
                disableAfterSeconds: 3_600
            )
            XCTAssertEqual(retried.map(\.subscription), [failing])
            XCTAssertEqual(retried.map(\.gone), [false])
        }
    }

    /// Rows another worker holds are skipped and the next allowed candidates take their place, so
    /// a claim racing another replica for the same oldest rows still fills its limit.
    func testAClaimSkipsRowsHeldElsewhereAndFillsItsLimitFromTheNext() async throws {
        try await Fixture.run { fixture in
            _ = try await fixture.subscription()
            let events = try await fixture.accept(8, perTransaction: 1)
            try await TestDatabase.withClient(fixture.url) { other in
                try await other.withTransaction(logger: fixture.logger) { db in
                    // Another replica's claim, still open: the three oldest deliveries locked.
                    try await db.query(
                        "SELECT id FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries ORDER BY next_attempt_at LIMIT 3) FOR UPDATE",
                        logger: fixture.logger
                    )
                    let claimed = try await fixture.queue.claim(limit: 4, perSubscription: 64, inFlight: [:], leaseMilliseconds: 60_000)
                    let claimedEvents = try await fixture.eventIDs(claimed)
                    XCTAssertEqual(claimedEvents, Array(events[3..<7]), "not the four after the held ones, oldest first")
                }
            }
        }
    }

    /// With 20,000 due for ten subscriptions and statistics taken when nothing was (50,000
    /// deliveries, all delivered), a claim reads the candidates it needs and locks the rows it
    /// takes by key: 1,201 tuples. Earlier claims read more here: a join of the 640 allowed ids to
    /// the table read all of it (71,000: a sequential scan looked cheaper than 640 lookups); a
    /// locking statement that named `status` read every due row through the partial index, the
    /// planner believing one was due (20,864 with the due rows in one subscription); and in the
    /// benchmark the one-statement claim ran its candidates once per due row (1.8 s per claim).
    func testAClaimWithThousandsDueReadsOnlyTheRowsItNeeds() async throws {
        try await Fixture.run { fixture in
            let subscription = try await fixture.subscription()
            // An autovacuum or autoanalyze in the middle would add its own reads to the count.
            try await fixture.client.query("ALTER TABLE webhook_deliveries SET (autovacuum_enabled = false)", logger: fixture.logger)
            try await fixture.insert(50_000, status: "delivered", subscription: subscription)
            try await fixture.client.query("VACUUM ANALYZE webhook_deliveries", logger: fixture.logger)
            for _ in 0..<10 { try await fixture.insert(2_000, status: "pending", subscription: try await fixture.subscription()) }
            let before = try await fixture.tuplesRead()
            let claimed = try await fixture.queue.claim(limit: 200, perSubscription: 64, inFlight: [:], leaseMilliseconds: 60_000)
            XCTAssertEqual(claimed.count, 200)
            let read = try await fixture.tuplesRead() - before
            // 800 candidates through the due index (an index scan that stops at its limit), 640
            // of them allowed (64 for each of ten subscriptions), then 200 rows locked and 200
            // updated, each by key.
            XCTAssertLessThan(read, 1_500, "the claim read \(read) tuples of webhook_deliveries")
        }
    }

    struct Fixture: Sendable {
        let url: DatabaseURL
        let client: PostgresClient
        let queue: DeliveryQueue
        let logger: Logger
        let organization = UUID()

        static func run(_ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
            let database = try await TestDatabase.create(prefix: "hub_dq")
            do {
                try await TestDatabase.withClient(database.url, maximumConnections: 1) { client in
                    let logger = Logger(label: "test.delivery-queue")
                    try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
                    try await body(Fixture(url: database.url, client: client, queue: DeliveryQueue(client: client, logger: logger), logger: logger))
                }
            } catch {
                try? await database.drop()
                throw error
            }
            try await database.drop()
        }

        func subscription() async throws -> UUID {
            let id = UUID()
            try await client.query(
                """
                INSERT INTO webhook_subscriptions (id, org_id, url, event_types, secret_key_id, secret_ciphertext)
                VALUES (\(id), \(organization), 'https://example.com/hook', '{*}', 'test', '\\x00'::bytea)
                """,
                logger: logger
            )
            return id
        }

        /// Accepts `count` events, `perTransaction` at a time (deliveries accepted together are
        /// due at the same moment); their ids, oldest first.
        func accept(_ count: Int, perTransaction: Int = 250) async throws -> [UUID] {
            var ids: [UUID] = []
            for start in stride(from: 0, to: count, by: perTransaction) {
                let batch = (start..<min(count, start + perTransaction)).map { index in
                    EventStore.Submission(
                        event: EventStore.NewEvent(
                            organizationID: organization,
                            type: "invoice.paid",
                            data: ["n": .number(Double(index))],
                            source: .hub,
                            occurredAt: Date(timeIntervalSinceNow: Double(index - count))
                        )
                    )
                }
                for outcome in await EventStore.commitBatch(batch, client: client, logger: logger) { ids.append(try outcome.get().id) }
            }
            return ids
        }

        /// `count` deliveries of as many events, written directly (faster than accepting them);
        /// pending ones are due, in the order written, the others were leased when they finished.
        func insert(_ count: Int, status: String, subscription: UUID) async throws {
            try await client.query(
                """
                WITH e AS (
                    INSERT INTO webhook_events (id, org_id, type, payload, source, created_at)
                    SELECT hub_uuid_v7(), \(organization), 'invoice.paid', '{}', 'hub', now() - make_interval(secs => \(count) - g)
                    FROM generate_series(1, \(count)) g
                    RETURNING id, created_at
                )
                INSERT INTO webhook_deliveries (id, org_id, subscription_id, event_id, event_type, status, created_at, next_attempt_at)
                SELECT hub_uuid_v7(), \(organization), \(subscription), e.id, 'invoice.paid', \(status), e.created_at,
                    CASE WHEN \(status) = 'pending' THEN e.created_at ELSE now() + interval '25 seconds' END
                FROM e
                """,
                logger: logger
            )
        }

        /// The events of `deliveries`, in the order given.
        func eventIDs(_ deliveries: [ClaimedDelivery]) async throws -> [UUID] {
            let rows = try await client.query(
                "SELECT id, event_id FROM webhook_deliveries WHERE id = ANY(\(deliveries.map(\.id))::uuid[])",
                logger: logger
            )
            var events: [UUID: UUID] = [:]
            for try await (id, event) in rows.decode((UUID, UUID).self) { events[id] = event }
            return deliveries.compactMap { events[$0.id] }
        }

        /// Tuples of webhook_deliveries read by sequential and index scans so far. The fixture's
        /// client has one connection, so this backend ran the claim: its counts are flushed first
        /// (PostgreSQL 15 keeps them pending for up to a second otherwise).
        func tuplesRead() async throws -> Int {
            try await client.query("SELECT pg_stat_force_next_flush()", logger: logger)
            try await client.query("SELECT pg_stat_clear_snapshot()", logger: logger)
            let rows = try await client.query(
                """
                SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int8 FROM pg_stat_user_tables
                WHERE relname = 'webhook_deliveries'
                """,
                logger: logger
            )
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }
}
