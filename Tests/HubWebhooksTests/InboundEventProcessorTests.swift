import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import HubTestSupport
import Logging
import NIOCore
import PostgresNIO
import Testing

@testable import HubWebhooks

/// The processor of stored inbound events, on a database and Redis of its own.
@Suite struct InboundEventProcessorTests {
    /// A batch stuck on a session that never answers (its backend frozen, as a connection whose
    /// server went away without the service hearing of it) is abandoned at the batch deadline,
    /// and the loop goes on: an event stored afterwards is processed on a new connection. Without
    /// the deadline the loop waited on the frozen session for as long as it stayed frozen.
    @Test func aBatchStuckOnASessionThatNeverAnswersIsAbandoned() async throws {
        try await TestHub.withOwnStores(prefix: "hub_inbound_dl", service: .webhook) { hub, database in
            let (postgres, redis, logger) = (hub.dependencies.postgres, hub.dependencies.redis, hub.dependencies.logger)
            // Events of a disconnected connection are finished as ignored: what the
            // processing decides does not matter here, only that it happens.
            let (organization, connection) = (UUID(), UUID())
            try await postgres.query(
                """
                INSERT INTO connections (id, org_id, provider, name, status, created_by)
                VALUES (\(connection), \(organization), 'stripe', 'deadline test', 'disconnected', 'test')
                """,
                logger: logger
            )
            @Sendable func insertEvent() async throws -> UUID {
                try await InboundEventStoreTests.insert("received", received: 0, processed: nil, connection, organization, postgres, logger)
            }

            // The processor has a pool of its own, so that only its sessions are frozen; more
            // connections than it ever holds, as each abandoned statement keeps one.
            try await TestDatabase.withClient(database.url, maximumConnections: 10, applicationName: "stuck-inbound") { client in
                let recorder = LogRecorder()
                let processor = Self.processor(client, redis, logger, batchDeadline: .seconds(2), logging: recorder.logger(label: "inbound"))
                let running = Task { try await processor.run() }
                defer { running.cancel() }

                let first = try await insertEvent()
                #expect(try await Self.status(of: first, postgres, reachedWithin: .seconds(20)) == "ignored", "processed before the freeze")

                // Each poll of the loop gets stuck on one frozen session and is abandoned at
                // the deadline (then the loop waits a second or two). The event is stored once
                // every frozen session is held by an abandoned poll, so its processing shows the
                // loop went on past all of them. Counted from the freeze: a batch slow before it
                // (a first connection being opened on a loaded machine) may have been abandoned.
                let stuck = "processing inbound webhooks did not finish within 2"
                let before = recorder.count(containing: stuck)
                let frozen = try await database.freezeSessions(applicationName: "stuck-inbound", window: .milliseconds(1500)) {
                    try await waitUntil(upTo: .seconds(10), every: .milliseconds(50)) { recorder.count(containing: stuck) > before }
                }
                defer { TestDatabase.thaw(frozen.pids) }
                try #require(!frozen.pids.isEmpty, "the processor's idle sessions")
                let abandoned = try await waitUntil(upTo: .seconds(10 + 5 * frozen.pids.count), every: .milliseconds(50)) {
                    recorder.count(containing: stuck) >= before + frozen.pids.count
                }
                #expect(abandoned, "a poll abandoned on each of the \(frozen.pids.count) frozen sessions: \(recorder.all.map(\.metadata))")
                let second = try await insertEvent()
                #expect(
                    try await Self.status(of: second, postgres, reachedWithin: .seconds(30)) == "ignored",
                    "processed on a new session\n\(recorder.all.map(\.message))"
                )
                running.cancel()
                _ = await running.result
            }
        }
    }

    /// A batch run without savepoints writes its events' records together, and as if one after
    /// the other: a second state of a record applies after the first, a deletion after the
    /// record's creation earlier in the batch, an older state is refused, an unchanged one is
    /// named so; each event's outcome names its own record, and the run needs no replay.
    @Test func aBatchWritesItsRecordsTogetherAndInOrder() async throws {
        try await TestHub.withOwnStores(prefix: "hub_inbound_batch", service: .webhook) { hub, _ in
            let (postgres, redis, logger) = (hub.dependencies.postgres, hub.dependencies.redis, hub.dependencies.logger)
            let (organization, connection, paypal) = (UUID(), UUID(), UUID())
            for (id, provider, entity) in [(connection, "shopify", "customers"), (paypal, "paypal", "invoices")] {
                try await postgres.query(
                    """
                    INSERT INTO connections (id, org_id, provider, name, status, account_id, created_by)
                    VALUES (\(id), \(organization), \(provider), 'batch test', 'connected', 'batch.myshopify.com', 'test')
                    """,
                    logger: logger
                )
                try await postgres.query(
                    """
                    INSERT INTO sync_configs (id, org_id, connection_id, entity, direction, schedule)
                    VALUES (\(UUID()), \(organization), \(id), \(entity), 'pull', 'realtime')
                    """,
                    logger: logger
                )
            }
            var received = 0
            func store(_ topic: String, _ body: String, connection: UUID, provider: String) async throws -> UUID {
                received += 1
                let event = UUID()
                try await postgres.query(
                    """
                    INSERT INTO inbound_events (id, org_id, connection_id, provider, event_id, event_type, body, received_at)
                    VALUES (\(event), \(organization), \(connection), \(provider), \(event.uuidString), \(topic), \(ByteBuffer(string: body)),
                        now() - make_interval(secs => \(1_000 - received)))
                    """,
                    logger: logger
                )
                return event
            }
            func store(_ topic: String, _ id: Int, _ name: String, minute: Int) async throws -> UUID {
                let body = #"{"id":\#(id),"first_name":"\#(name)","updated_at":"2026-12-01T10:\#(10 + minute):00Z"}"#
                return try await store(topic, body, connection: connection, provider: "shopify")
            }
            let processor = Self.processor(postgres, redis, logger)
            // Stored before the batch: customer 3 at a later time, customer 4 as it will come again.
            _ = try await store("customers/update", 3, "Cy", minute: 9)
            _ = try await store("customers/update", 4, "Di", minute: 1)
            #expect(try await processor.processBatch(savepoints: false))

            // A paid PayPal invoice: its record's event, then the announcement, in that order.
            let paid = try await store(
                "INVOICING.INVOICE.PAID",
                #"{"id":"WH-1","event_type":"INVOICING.INVOICE.PAID","resource":{"invoice":{"id":"INV2-0001","status":"PAID","detail":{"invoice_number":"1001"},"amount":{"currency_code":"USD","value":"10.00"}}}}"#,
                connection: paypal,
                provider: "paypal"
            )
            let batch = [
                try await store("customers/create", 1, "Ann", minute: 1),
                try await store("customers/update", 1, "Anne", minute: 2),
                try await store("customers/create", 2, "Bo", minute: 1),
                try await store("customers/delete", 2, "Bo", minute: 3),
                try await store("customers/update", 3, "Cy Old", minute: 0),
                try await store("customers/update", 4, "Di", minute: 1),
            ]
            #expect(try await processor.processBatch(savepoints: false), "the batch ran without a replay")

            var outcomes: [UUID: String] = [:]
            let rows = try await postgres.query("SELECT id, status, outcome FROM inbound_events WHERE id = ANY(\([paid] + batch))", logger: logger)
            for try await (id, status, outcome) in rows.decode((UUID, String, String?).self) { outcomes[id] = "\(status): \(outcome ?? "")" }
            #expect(
                ([paid] + batch).map { outcomes[$0] ?? "missing" } == [
                    "processed: invoices INV2-0001 created; invoice.paid announced",
                    "processed: customers 1 created", "processed: customers 1 updated", "processed: customers 2 created",
                    "processed: customers 2 deleted", "processed: customers 3: the store holds a newer state",
                    "processed: customers 4 unchanged",
                ]
            )
            var stored: [String: String] = [:]
            let records = try await postgres.query(
                "SELECT external_id, coalesce(payload::jsonb ->> 'first_name', '') || CASE WHEN deleted_at IS NULL THEN '' ELSE ' (deleted)' END FROM sync_records WHERE connection_id = \(connection)",
                logger: logger
            )
            for try await (id, state) in records.decode((String, String).self) { stored[id] = state }
            #expect(stored == ["1": "Anne", "2": "Bo (deleted)", "3": "Cy", "4": "Di"])
            var types: [String] = []
            let events = try await postgres.query(
                "SELECT type FROM webhook_events WHERE org_id = \(organization) ORDER BY created_at, id",
                logger: logger
            )
            for try await type in events.decode(String.self) { types.append(type) }
            #expect(
                types == [
                    "customer.created", "customer.created", "invoice.created", "invoice.paid", "customer.created", "customer.updated",
                    "customer.created", "customer.deleted",
                ],
                "two created before the batch, then in the batch's order: the invoice and its payment, 1 created and updated, 2 created and deleted"
            )
        }
    }

    /// A processor on `client`, one loop, with the standard connectors.
    static func processor(
        _ client: PostgresClient,
        _ redis: RedisClient,
        _ logger: Logger,
        batchDeadline: Duration = .seconds(60),
        logging: Logger? = nil
    ) -> InboundEventProcessor {
        InboundEventProcessor(
            store: InboundEventStore(client: client, logger: logger),
            interpreter: InboundEventInterpreter(
                registry: .standard,
                connections: ConnectionRepository(client: client, logger: logger),
                syncs: SyncRepository(client: client, logger: logger),
                records: RecordStore(client: client, logger: logger),
                redis: redis,
                logger: logger
            ),
            wakeup: DeliveryWakeup(),
            deliveries: DeliveryWakeup(),
            concurrency: 1,
            batchDeadline: batchDeadline,
            logger: logging ?? logger
        )
    }

    /// The event's status once it is no longer `received`, or `received` after `timeout`.
    static func status(of event: UUID, _ client: PostgresClient, reachedWithin timeout: Duration) async throws -> String {
        var status = "missing"
        _ = try await waitUntil(upTo: timeout, every: .milliseconds(100)) {
            for try await value in try await client.query("SELECT status FROM inbound_events WHERE id = \(event)").decode(String.self) {
                status = value
            }
            return status != "received"
        }
        return status
    }
}
