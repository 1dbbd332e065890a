import Foundation
import HubCore
import HubRedis
import HubSync
import HubTestSupport
import Logging
import PostgresNIO
import Testing

@testable import SyncWorker

/// The relay never stops for good behind one statement: a pass stuck on a connection that will
/// never answer (its backend frozen, as when PostgreSQL went away without the client hearing of
/// it) is abandoned at its deadline, and the next pass relays on another connection. Before the
/// deadline, one such statement after a PostgreSQL restart held every later event in the outbox.
@Suite struct OutboxRelayTests {
    @Test func aPassStuckOnAConnectionThatNeverAnswersIsAbandoned() async throws {
        try await TestHub.withOwnStores(prefix: "hub_relay", service: .webhook) { hub, database in
            let (postgres, redis, logger) = (hub.dependencies.postgres, hub.dependencies.redis, hub.dependencies.logger)
            let outbox = EventOutbox(client: postgres, redis: redis, logger: logger)
            let relay = OutboxRelay(outbox: outbox, logger: logger, passDeadline: .seconds(1))
            // Not a child: a relay stuck for good (the deadline gone) must fail the test, not hang it.
            let relaying = Task { try await relay.run() }
            defer { relaying.cancel() }

            try await Self.write(on: postgres, logger: logger)
            #expect(try await Self.streamLength(redis, reaches: 1, within: .seconds(10)))

            // Every session the relay's pool holds stops answering; the next event is written
            // on a session of its own.
            let frozen = try await database.freezeSessions()
            defer { TestDatabase.thaw(frozen) }
            #expect(!frozen.isEmpty)
            try await TestDatabase.withClient(database.url) { client in try await Self.write(on: client, logger: logger) }
            #expect(
                try await Self.streamLength(redis, reaches: 2, within: .seconds(30)),
                "relayed on a new connection once the stuck pass was abandoned"
            )
        }
    }

    static func write(on client: PostgresClient, logger: Logger) async throws {
        let event = OutboxEvent(organizationID: UUID(), type: "customer.created", data: ["n": 1])
        try await client.withTransaction(logger: logger) { db in try await EventOutbox.insert([event], on: db, logger: logger) }
    }

    /// Whether the hub event stream holds `count` entries within `timeout`.
    static func streamLength(_ redis: RedisClient, reaches count: Int, within timeout: Duration) async throws -> Bool {
        try await waitUntil(upTo: timeout, every: .milliseconds(100)) {
            if case .integer(let length) = try await redis.send(["XLEN", "hub:events"]) { length >= count } else { false }
        }
    }
}
