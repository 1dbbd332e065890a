import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

@testable import HubWebhooks

/// How a batch of events accepted together (one transaction) answers each of them, against the
/// shared test database; every test uses organizations of its own.
final class EventStoreTests: XCTestCase {
    /// An event refused inside a committed transaction (its id belongs to another organization)
    /// must not make the batch's other events look like duplicates.
    func testAnEventRefusedInABatchLeavesTheOthersCreated() async throws {
        try await Self.withStore { client, logger in
            let taken = EventStore.NewEvent(organizationID: UUID(), type: "invoice.paid", data: [:], source: .hub)
            let first = await EventStore.commitBatch([.init(event: taken)], client: client, logger: logger)
            XCTAssertEqual(try first[0].get().created, true)

            var forged = taken
            forged.organizationID = UUID()
            let fresh = EventStore.NewEvent(organizationID: forged.organizationID, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: forged), .init(event: fresh)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            XCTAssertEqual(Self.error(outcomes[0]), .eventIDConflict)
            let accepted = try outcomes[1].get()
            XCTAssertEqual(accepted.id, fresh.id)
            XCTAssertTrue(accepted.created, "the fresh event was answered as a duplicate")
        }
    }

    /// A batch whose call fails (one event PostgreSQL cannot store) is retried one event
    /// at a time: the bad event fails alone and the others are created.
    func testAFailedBatchIsRetriedOneEventAtATime() async throws {
        try await Self.withStore { client, logger in
            let organization = UUID()
            let unstorable = EventStore.NewEvent(organizationID: organization, type: "invoice.\u{0}", data: [:], source: .hub)
            let fresh = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: unstorable), .init(event: fresh)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            guard case .failure(let error) = outcomes[0] else { return XCTFail("a type with a NUL byte was stored") }
            // 22021: PostgreSQL refused the NUL byte (character not in repertoire).
            XCTAssertEqual(PostgresError.sqlState(of: error), "22021", "not PostgreSQL's refusal of the event: \(String(reflecting: error))")
            XCTAssertEqual(try outcomes[1].get().created, true)
        }
    }

    /// One event twice in a batch (a stream entry read twice) is written once, with one delivery
    /// per subscription: the first is created, the repeat answered as the existing event, and
    /// the process does not trap.
    func testOneEventTwiceInABatchIsWrittenOnce() async throws {
        try await Self.withStore { client, logger in
            let organization = UUID()
            try await Self.subscribe(organization, client, logger)
            let event = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: event), .init(event: event)], client: client, logger: logger)
            XCTAssertEqual(outcomes.count, 2)
            XCTAssertEqual(try outcomes[0].get().created, true)
            XCTAssertEqual(try outcomes[0].get().deliveries, 1)
            let repeated = try outcomes[1].get()
            XCTAssertEqual(repeated.id, event.id)
            XCTAssertFalse(repeated.created, "the repeat was answered as a second event")
            let rows = try await client.query("SELECT count(*)::int FROM webhook_deliveries WHERE event_id = \(event.id)", logger: logger)
            for try await count in rows.decode(Int.self) { XCTAssertEqual(count, 1, "the repeat made a second delivery") }
        }
    }

    /// With a ticket, an accept claims for its dispatcher the deliveries of subscriptions it has
    /// room for, and leaves a saturated subscription's due in the table, naming that subscription
    /// for the dispatcher rather than counting it as work for any worker; without one, every
    /// delivery is left for any worker.
    func testAnAcceptClaimsWhereThereIsRoomAndNamesSaturatedSubscriptionsLeftInTheTable() async throws {
        try await Self.withStore { client, logger in
            let organization = UUID()
            let (open, saturated) = (UUID(), UUID())
            for id in [open, saturated] {
                try await Self.subscribe(organization, id: id, client, logger)
            }
            let events = { (0..<3).map { _ in EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub) } }
            let ticket = DeliveryHandoff.Ticket(token: UUID(), leaseSeconds: 60, saturated: [saturated], mailbox: UUID())
            let batch = try await client.withTransaction(logger: logger) { db in
                try await EventStore.accept(events(), ticket: ticket, on: db, logger: logger)
            }
            let unticketed = try await client.withTransaction(logger: logger) { db in
                try await EventStore.accept(events(), ticket: nil, on: db, logger: logger)
            }
            let rows = try await client.query(
                "SELECT subscription_id, claim_token FROM webhook_deliveries WHERE org_id = \(organization) AND claim_token IS NOT NULL",
                logger: logger
            )
            var leased: [UUID] = []
            for try await (subscription, token) in rows.decode((UUID, UUID).self) {
                XCTAssertEqual(token, ticket.token)
                leased.append(subscription)
            }
            try await client.query("DELETE FROM webhook_deliveries WHERE org_id = \(organization)", logger: logger)
            try await client.query("DELETE FROM webhook_events WHERE org_id = \(organization)", logger: logger)
            try await client.query("DELETE FROM webhook_subscriptions WHERE org_id = \(organization)", logger: logger)

            XCTAssertEqual(batch.claimed.map(\.subscriptionID), [open, open, open])
            XCTAssertEqual(Set(batch.claimed.map(\.claimToken)), [ticket.token])
            XCTAssertEqual(batch.leftForSaturated, [saturated])
            XCTAssertEqual(batch.unclaimed, 0)
            XCTAssertEqual(leased, [open, open, open], "only the claimed deliveries are leased in the table")
            XCTAssertEqual(unticketed.claimed.count, 0)
            XCTAssertEqual(unticketed.leftForSaturated, [])
            XCTAssertEqual(unticketed.unclaimed, 6)
        }
    }

    /// A publish batch is answered, and its claimed deliveries handed to the dispatcher, only
    /// once its events are committed: when the commit itself fails (here a deferred check that
    /// refuses one event type at commit), the event fails and nothing of it is handed over, and
    /// every delivery handed over is a committed row.
    func testABatchIsAnsweredAndHandedToTheDispatcherOnlyOnceCommitted() async throws {
        let database = try await TestDatabase.create(prefix: "hub_accept_commit")
        addTeardownBlock { try? await database.drop() }
        try await TestDatabase.withClient(database.url) { client in
            let logger = Logger(label: "test.event-store")
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            try await client.query(
                """
                CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'; END $$
                """,
                logger: logger
            )
            try await client.query(
                """
                CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON webhook_events DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.type = 'invoice.refused') EXECUTE FUNCTION refuse_at_commit()
                """,
                logger: logger
            )
            let organization = UUID()
            try await Self.subscribe(organization, client, logger)
            let wakeup = DeliveryWakeup()
            let mailbox = wakeup.handoff.open(leaseSeconds: 60) { DeliveryHandoff.Room(free: 100, saturated: []) }
            let refused = EventStore.NewEvent(organizationID: organization, type: "invoice.refused", data: [:], source: .hub)
            let fine = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)

            let outcomes = await EventStore.commitBatch(
                [.init(event: refused, wakeup: wakeup), .init(event: fine, wakeup: wakeup)],
                client: client,
                logger: logger
            )

            XCTAssertEqual(outcomes.count, 2)
            guard case .failure(let error) = outcomes.first else { return XCTFail("an event refused at commit was answered as accepted") }
            XCTAssertEqual(PostgresError.sqlState(of: error), "23514", "not the commit's refusal: \(String(reflecting: error))")
            XCTAssertEqual(try outcomes.last?.get().created, true)
            let handed = wakeup.handoff.take(mailbox).deliveries
            XCTAssertEqual(handed.count, 1, "only the committed event's delivery is handed to the dispatcher")
            let rows = try await client.query(
                "SELECT e.type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = ANY(\(handed.map(\.id)))",
                logger: logger
            )
            var committed: [String] = []
            for try await type in rows.decode(String.self) { committed.append(type) }
            XCTAssertEqual(committed, ["invoice.paid"], "a handed delivery is not a committed row of the accepted event")
        }
    }

    /// A subscription of `organization` to every event type.
    static func subscribe(_ organization: UUID, id: UUID = UUID(), _ client: PostgresClient, _ logger: Logger) async throws {
        try await client.query(
            """
            INSERT INTO webhook_subscriptions (id, org_id, url, event_types, secret_key_id, secret_ciphertext)
            VALUES (\(id), \(organization), 'https://example.com/hook', '{*}', 'test', '\\x00'::bytea)
            """,
            logger: logger
        )
    }

    static func error(_ outcome: Result<AcceptedEvent, any Error>) -> WebhookError? {
        guard case .failure(let error) = outcome else { return nil }
        return error as? WebhookError
    }

    /// The accepting statement is prepared once per connection and then only executed: two
    /// accepts on one connection run one prepared statement twice (it is sent with every
    /// publish batch; parsing and planning it each time cost PostgreSQL a third of its CPU).
    func testTheAcceptingStatementIsPreparedOncePerConnection() async throws {
        try await Self.withStore { client, logger in
            try await client.withConnection { db in
                for _ in 0..<2 {
                    let event = EventStore.NewEvent(organizationID: UUID(), type: "invoice.paid", data: [:], source: .hub)
                    let accepted = try await EventStore.accept(event, on: db, logger: logger)
                    XCTAssertTrue(accepted.created)
                }
                let rows = try await db.query(
                    "SELECT (generic_plans + custom_plans)::int FROM pg_prepared_statements WHERE name = \(AcceptStatement.name)",
                    logger: logger
                )
                var executions: [Int] = []
                for try await count in rows.decode(Int.self) { executions.append(count) }
                XCTAssertEqual(executions, [2], "the accepting statement was not prepared once and run twice on this connection")
            }
        }
    }

    /// A preparation that failed (here, in an aborted transaction) does not stay the answer of its
    /// connection to every later accept (postgres-nio keeps it): the pool holds one connection,
    /// and the next accept on it succeeds.
    func testAFailedPreparationDoesNotBreakLaterAccepts() async throws {
        try await Self.withStore(maximumConnections: 1) { client, logger in
            let organization = UUID()
            try await client.withConnection { db in
                try await db.query("BEGIN", logger: logger)
                do {
                    for try await _ in try await db.query("SELECT 1 / 0", logger: logger) {}
                    XCTFail("dividing by zero did not fail")
                } catch {}
                let event = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)
                do {
                    _ = try await EventStore.accept(event, on: db, logger: logger)
                    XCTFail("an event was accepted in an aborted transaction")
                } catch {}
                _ = try? await db.query("ROLLBACK", logger: logger)
            }
            let event = EventStore.NewEvent(organizationID: organization, type: "invoice.paid", data: [:], source: .hub)
            let outcomes = await EventStore.commitBatch([.init(event: event)], client: client, logger: logger)
            XCTAssertEqual(try outcomes[0].get().created, true, "the failed preparation broke the next accept")
        }
    }

    /// Runs `body` with a client of the migrated shared test database.
    static func withStore(
        maximumConnections: Int = 4,
        _ body: @escaping @Sendable (PostgresClient, Logger) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.event-store")
        try await TestDatabase.withSharedClient(maximumConnections: maximumConnections) { client in
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            try await body(client, logger)
        }
    }
}
