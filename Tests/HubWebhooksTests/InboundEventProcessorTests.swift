import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import HubTestSupport
import Logging
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
                let processor = InboundEventProcessor(
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
                    batchDeadline: .seconds(2),
                    logger: recorder.logger(label: "inbound")
                )
                let running = Task { try await processor.run() }
                defer { running.cancel() }

                let first = try await insertEvent()
                #expect(try await Self.status(of: first, postgres, reachedWithin: .seconds(20)) == "ignored", "processed before the freeze")

                let frozen = try await database.freezeSessions(applicationName: "stuck-inbound", window: .milliseconds(1500))
                defer { TestDatabase.thaw(frozen) }
                try #require(!frozen.isEmpty, "the processor's idle sessions")
                // Each poll of the loop gets stuck on one frozen session and is abandoned at
                // the deadline (then the loop waits a second or two). The event is stored once
                // every frozen session is held by an abandoned poll, so its processing shows the
                // loop went on past all of them. Counted from the freeze: a batch slow before it
                // (a first connection being opened on a loaded machine) may have been abandoned.
                let stuck = "processing inbound webhooks did not finish within 2"
                let before = recorder.count(containing: stuck)
                let abandoned = try await waitUntil(upTo: .seconds(10 + 5 * frozen.count), every: .milliseconds(50)) {
                    recorder.count(containing: stuck) >= before + frozen.count
                }
                #expect(abandoned, "a poll abandoned on each of the \(frozen.count) frozen sessions: \(recorder.all.map(\.metadata))")
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
