import Foundation
import HubConnections
import HubCore
import HubRedis
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

@testable import HubWebhooks

/// One read of the hub's stream handled at once, on a Redis of its own (the shared one carries
/// other tests' hub events) and the shared database (an organization of its own).
final class HubEventConsumerTests: XCTestCase {
    static let fresh = 90

    /// Every event of the read is stored with its delivery, in transactions shared by many
    /// entries; a duplicate entry makes no second event, a forged id and a malformed entry are
    /// dropped; and every entry is acknowledged.
    func testAReadOfManyEntriesIsAcceptedTogetherAndAcknowledged() async throws {
        let redis = try await RedisServerProcess.start()
        do {
            try await Self.exercise(redis)
        } catch {
            await redis.stop()
            throw error
        }
        await redis.stop()
    }

    static func exercise(_ redis: RedisServerProcess) async throws {
        let hub = try await TestHub.make(service: .webhook, redisURL: redis.url)
        let (postgres, client, logger) = (hub.dependencies.postgres, hub.dependencies.redis, hub.dependencies.logger)
        try await hub.withStoresRunning {
            let organization = UUID()
            let vault = CredentialVault(keyRing: try VaultKeyRing(configuration: VaultKeyRing.generateEntry(id: "t"), activeKeyID: "t"))
            _ = try await SubscriptionRepository(client: postgres, vault: vault, logger: logger).create(
                by: AuditActor(organizationID: organization, subject: "test", requestID: nil),
                .init(url: "https://example.com/hook", eventTypes: ["sync.*"], description: nil, enabled: true)
            )
            let store = EventStore(client: postgres, logger: logger)
            let taken = try await store.accept(.init(organizationID: UUID(), type: "sync.completed", data: [:], source: .hub))

            let queue = RedisStreamQueue(client: client, stream: HubEventPublisher.stream, group: HubEventConsumer.group)
            try await queue.ensureGroup()
            let ids = (0..<fresh).map { _ in UUID() }
            for (n, id) in ids.enumerated() { try await queue.enqueue(entry(id, organization: organization, n: n)) }
            try await queue.enqueue(entry(ids[0], organization: organization, n: 0))
            try await queue.enqueue(entry(taken.id, organization: organization, n: -1))
            try await queue.enqueue(["type": "sync.completed"])
            let entries = try await queue.receive(consumer: "test", count: 100)
            XCTAssertEqual(entries.count, fresh + 3)

            let consumer = HubEventConsumer(redis: client, events: store, wakeup: DeliveryWakeup(), consumer: "test", logger: logger)
            try await consumer.handle(entries)

            let pending = try await queue.pending()
            XCTAssertEqual(pending.count, 0, "entries left unacknowledged")
            let stored = try await events(of: organization, on: postgres)
            XCTAssertEqual(Set(stored.map(\.id)), Set(ids), "the organization's events are the read's fresh ones, once each")
            XCTAssertEqual(stored.filter { $0.deliveries != 1 }.map(\.id), [], "events without their one delivery")
            let transactions = Set(stored.map(\.transaction)).count
            XCTAssertLessThan(transactions, fresh / 2, "the entries were committed one by one, not together")
        }
    }

    static func entry(_ id: UUID, organization: UUID, n: Int) -> [String: String] {
        [
            "id": "evt_" + id.uuidString.lowercased(), "type": "sync.completed", "org_id": organization.uuidString.lowercased(),
            "data": #"{"n":\#(n)}"#,
        ]
    }

    /// The organization's events: each with its deliveries and the transaction that wrote it.
    static func events(of organization: UUID, on postgres: PostgresClient) async throws -> [(id: UUID, deliveries: Int, transaction: String)] {
        let rows = try await postgres.query(
            """
            SELECT e.id, (SELECT count(*) FROM webhook_deliveries d WHERE d.event_id = e.id)::int, e.xmin::text
            FROM webhook_events e WHERE e.org_id = \(organization)
            """
        )
        var events: [(id: UUID, deliveries: Int, transaction: String)] = []
        for try await (id, deliveries, transaction) in rows.decode((UUID, Int, String).self) { events.append((id, deliveries, transaction)) }
        return events
    }
}
