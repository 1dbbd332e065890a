import Foundation
import HubConnections
import HubCore
import HubRedis
import HubSync
import HubTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HubWebhooks

/// Redis is disposable for hub events: relayed outbox rows are kept, and when the hub:events
/// stream is lost before webhook-service read it, the consumer has them sent again; EventStore
/// keeps one event (with one delivery) per id whatever arrives twice. Each test has a database
/// and a Redis of its own (the relay takes every row of its outbox, the resend resets them all).
@Suite(.serialized) struct OutboxResendTests {
    /// The pieces a test drives: the outbox, the store, a consumer to start and stop.
    struct Rig {
        let database: TestDatabase
        /// The rig's own redis-server, to restart.
        let server: RedisServerProcess
        let postgres: PostgresClient
        let redis: RedisClient
        let logger: Logger
        let outbox: EventOutbox
        let store: EventStore
        let organization: UUID

        func consumer(_ name: String = "test") -> HubEventConsumer {
            HubEventConsumer(
                redis: redis,
                events: store,
                wakeup: DeliveryWakeup(),
                consumer: name,
                claimIdle: .seconds(1),
                resendCheckInterval: .milliseconds(200),
                logger: logger
            )
        }

        /// Writes `count` events of the organization to the outbox; returns their ids.
        func write(_ count: Int) async throws -> [UUID] {
            let events = (0..<count).map { n in
                OutboxEvent(organizationID: organization, type: "customer.created", data: ["n": .number(Double(n))])
            }
            try await postgres.withTransaction(logger: logger) { db in try await EventOutbox.insert(events, on: db, logger: logger) }
            return events.map(\.id)
        }

        /// The ids of every event the outbox keeps.
        func outboxIDs() async throws -> Set<UUID> {
            let rows = try await postgres.query("SELECT unnest(event_ids) FROM event_outbox")
            var ids: Set<UUID> = []
            for try await id in rows.decode(UUID.self) { ids.insert(id) }
            return ids
        }

        /// Relays whatever the outbox holds, as sync-worker's relay does, until cancelled.
        func relayInBackground() -> Task<Void, any Error> {
            Task {
                while !Task.isCancelled {
                    if try await outbox.relay(limit: 50).rows == 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
        }

        /// Relays until the outbox has nothing left to send.
        func relayAll() async throws {
            while try await outbox.relay(limit: 37).rows > 0 {}
        }

        /// The organization's events: id → deliveries.
        func stored() async throws -> [UUID: Int] {
            let rows = try await postgres.query(
                """
                SELECT e.id, (SELECT count(*) FROM webhook_deliveries d WHERE d.event_id = e.id)::int
                FROM webhook_events e WHERE e.org_id = \(organization)
                """
            )
            var events: [UUID: Int] = [:]
            for try await (id, deliveries) in rows.decode((UUID, Int).self) { events[id] = deliveries }
            return events
        }

        /// Waits until every one of `ids` is stored, then checks each once with its one delivery
        /// and nothing else stored.
        func expectStoredOnce(
            _ ids: [UUID],
            timeout: Duration = .seconds(30),
            sourceLocation: SourceLocation = #_sourceLocation
        )
            async throws
        {
            let deadline = ContinuousClock.now + timeout
            var stored = try await self.stored()
            while !Set(ids).isSubset(of: stored.keys), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                stored = try await self.stored()
            }
            #expect(Set(stored.keys) == Set(ids), "missing \(Set(ids).subtracting(stored.keys).count)", sourceLocation: sourceLocation)
            #expect(stored.values.filter { $0 != 1 }.isEmpty, "events without exactly one delivery", sourceLocation: sourceLocation)
        }

        /// Waits until a consumer's resend committed (its key is set).
        func waitForResend(timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let resent = try await waitUntil(upTo: timeout, every: .milliseconds(50)) {
                try await redis.exists(HubEventConsumer.outboxResentKey) == 1
            }
            #expect(resent, "no resend", sourceLocation: sourceLocation)
        }

        /// Events in the outbox: (not relayed, relayed).
        func outboxCounts() async throws -> (pending: Int, relayed: Int) {
            let rows = try await postgres.query(
                """
                SELECT coalesce(sum(cardinality(event_ids)) FILTER (WHERE relayed_at IS NULL), 0)::int,
                    coalesce(sum(cardinality(event_ids)) FILTER (WHERE relayed_at IS NOT NULL), 0)::int
                FROM event_outbox
                """
            )
            for try await (pending, relayed) in rows.decode((Int, Int).self) { return (pending, relayed) }
            return (0, 0)
        }
    }

    /// A rig on a fresh database migrated with `migrations` (all of them by default).
    static func withRig(migrations: [Migration]? = nil, _ body: (Rig) async throws -> Void) async throws {
        try await TestDatabase.withOwnStores(prefix: "hub_outbox") { database, server in
            let hub = try await TestHub.make(service: .webhook, database: database.url, redisURL: server.url)
            try await hub.withStoresRunning(migrations: migrations) { try await rig(hub, database, server, body) }
        }
    }

    static func rig(_ hub: TestHub, _ database: TestDatabase, _ server: RedisServerProcess, _ body: (Rig) async throws -> Void) async throws {
        let (postgres, redis, logger) = (hub.dependencies.postgres, hub.dependencies.redis, hub.dependencies.logger)
        let organization = UUID()
        let vault = CredentialVault(keyRing: try VaultKeyRing(configuration: VaultKeyRing.generateEntry(id: "t"), activeKeyID: "t"))
        _ = try await SubscriptionRepository(client: postgres, vault: vault, logger: logger).create(
            by: AuditActor(organizationID: organization, subject: "test", requestID: nil),
            .init(url: "https://example.com/hook", eventTypes: ["customer.*"], description: nil, enabled: true)
        )
        let rig = Rig(
            database: database,
            server: server,
            postgres: postgres,
            redis: redis,
            logger: logger,
            outbox: EventOutbox(client: postgres, redis: redis, logger: logger),
            store: EventStore(client: postgres, logger: logger),
            organization: organization
        )
        try await body(rig)
    }

    /// Runs `consumer` while `body` runs.
    static func running<T>(_ consumer: HubEventConsumer, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await consumer.run() }
        defer { task.cancel() }
        return try await body()
    }

    /// Events relayed to a stream nobody read yet, then lost with it (FLUSHALL while
    /// webhook-service is down), events relayed after the flush, and a second flush under a running
    /// consumer: each reaches EventStore once, with its one delivery.
    @Test func eventsRelayedToAFlushedStreamAreSentAgainAndStoredOnce() async throws {
        try await Self.withRig { rig in
            let consumed = try await rig.write(60)
            try await Self.running(rig.consumer()) {
                // Its first start made the group and resent (nothing yet); then the relay runs.
                try await rig.waitForResend()
                try await rig.relayAll()
                try await rig.expectStoredOnce(consumed)
            }
            // webhook-service is down: these reach the stream only, then Redis loses its data.
            let lost = try await rig.write(80)
            try await rig.relayAll()
            #expect(try await rig.redis.xlen(HubEventPublisher.stream) == 140)
            _ = try await rig.redis.send(["FLUSHALL"])
            let afterFlush = try await rig.write(20)
            try await rig.relayAll()
            #expect(try await rig.outboxCounts() == (0, 160), "every row relayed and kept")

            let relay = rig.relayInBackground()
            defer { relay.cancel() }
            try await Self.running(rig.consumer()) {
                try await rig.expectStoredOnce(consumed + lost + afterFlush)
                #expect(try await rig.redis.exists(HubEventConsumer.outboxResentKey) == 1)
                // A flush under the running consumer: its next read meets NOGROUP and resends.
                let more = try await rig.write(40)
                _ = try await rig.redis.send(["FLUSHALL"])
                try await rig.expectStoredOnce(consumed + lost + afterFlush + more)
                try await rig.waitForResend()
            }
        }
    }

    /// Redis crashed and came back from its last snapshot, older than the entries relayed since,
    /// with the group and the resend's mark restored: no NOGROUP tells of the loss, the restart
    /// does (`RedisStreamQueue.detectRestart`), and the relayed rows are sent again.
    @Test func eventsLostToARestartFromAnOlderSnapshotAreSentAgain() async throws {
        try await Self.withRig { rig in
            let early = try await rig.write(30)
            try await Self.running(rig.consumer()) {
                try await rig.waitForResend()
                try await rig.relayAll()
                try await rig.expectStoredOnce(early)
                // The consumer records that it read them (every 200 ms here).
                let recorded = try await waitUntil(upTo: .seconds(10), every: .milliseconds(50)) {
                    let rows = try await rig.postgres.query(
                        """
                        SELECT coalesce((SELECT consumed_through FROM event_stream_progress) >= (SELECT max(relayed_at) FROM event_outbox), false)
                        """
                    )
                    for try await done in rows.decode(Bool.self) { return done }
                    return false
                }
                #expect(recorded)
            }
            _ = try await rig.redis.send(["SAVE"])
            // webhook-service is down: these reach the stream after the snapshot, and no further.
            let lost = try await rig.write(50)
            try await rig.relayAll()
            await rig.server.stop()
            try await rig.server.start()
            #expect(try await rig.redis.exists(HubEventConsumer.outboxResentKey) == 1, "the snapshot kept the resend's mark")
            #expect(try await rig.redis.xlen(HubEventPublisher.stream) == 30, "the snapshot's stream, without the newest entries")
            // What the consumer read before is not sent again (clocks taken as exact here).
            let resent = try await EventOutbox.resendRelayed(client: rig.postgres, logger: rig.logger, clockAllowance: .zero)
            #expect(resent == 50, "only the events relayed after the consumer's progress, not \(resent)")
            // The relays send again what the consumer marks for it.
            let relay = rig.relayInBackground()
            defer { relay.cancel() }
            try await Self.running(rig.consumer()) {
                try await rig.expectStoredOnce(early + lost)
            }
        }
    }

    /// A resend stuck on a session that never answers (its backend frozen, as a connection whose
    /// server went away unheard) is abandoned at the deadline and done again on a new connection:
    /// the consumer's loop goes on, and nothing is lost or stored twice.
    @Test func aResendStuckOnASessionThatNeverAnswersIsAbandonedAndDoneAgain() async throws {
        try await Self.withRig { rig in
            let ids = try await rig.write(30)
            // The consumer has a pool of its own, so that only its sessions are frozen; more
            // connections than it ever holds, as each abandoned statement keeps one.
            try await TestDatabase.withClient(rig.database.url, maximumConnections: 10, applicationName: "stuck-consumer") { client in
                let recorder = LogRecorder()
                let consumer = HubEventConsumer(
                    redis: rig.redis,
                    events: EventStore(client: client, logger: rig.logger),
                    wakeup: DeliveryWakeup(),
                    consumer: "test",
                    claimIdle: .seconds(1),
                    resendCheckInterval: .seconds(600),  // no periodic progress mark meanwhile
                    storeDeadline: .seconds(2),
                    logger: recorder.logger(label: "hub-event-consumer")
                )
                try await Self.running(consumer) {
                    try await rig.waitForResend()
                    try await rig.relayAll()
                    try await rig.expectStoredOnce(ids)

                    // Each try loses the stream again, so that the consumer resends on its sessions.
                    let frozen = try await rig.database.freezeSessions(applicationName: "stuck-consumer", window: .milliseconds(500)) {
                        _ = try await rig.redis.send(["FLUSHALL"])
                        try await rig.waitForResend(timeout: .seconds(40))
                        return recorder.contains("resending the outbox did not finish within 2")
                    }
                    defer { TestDatabase.thaw(frozen.pids) }
                    #expect(!frozen.pids.isEmpty, "the consumer's idle sessions")
                    #expect(frozen.stuck, "\(recorder.all)")
                    #expect(try await rig.outboxCounts() == (30, 0), "every relayed row sent again")
                    try await rig.relayAll()
                    try await rig.expectStoredOnce(ids)
                }
            }
        }
    }

    /// The consumer made the group and stopped before the resend committed: the key it would set
    /// afterwards is missing, so the next consumer resends although the group exists.
    @Test func aConsumerStoppedBeforeItsResendLeavesTheResendToTheNext() async throws {
        try await Self.withRig { rig in
            let lost = try await rig.write(50)
            try await rig.relayAll()
            _ = try await rig.redis.send(["FLUSHALL"])
            // The group made again, and nothing more (the consumer stopped right after).
            let queue = RedisStreamQueue(client: rig.redis, stream: HubEventPublisher.stream, group: HubEventConsumer.group)
            try await queue.ensureGroup()
            let relay = rig.relayInBackground()
            defer { relay.cancel() }
            try await Self.running(rig.consumer()) {
                try await rig.expectStoredOnce(lost)
            }
        }
    }

    /// A relay whose XADD went to the stream that is being lost, still committing its mark, is
    /// waited for by the resend: its rows are sent again too.
    @Test func theResendWaitsForARelayInFlight() async throws {
        try await Self.withRig { rig in
            let ids = try await rig.write(10)
            let resent = try await rig.postgres.withConnection { inFlight in
                try await inFlight.query("BEGIN", logger: rig.logger)
                try await inFlight.query("SELECT pg_advisory_xact_lock_shared(\(EventOutbox.relayLockKey))", logger: rig.logger)
                let resend = Task { try await EventOutbox.resendRelayed(client: rig.postgres, logger: rig.logger) }
                try await Task.sleep(for: .milliseconds(300))
                // The relay marks its rows and commits only now.
                try await inFlight.query("UPDATE event_outbox SET relayed_at = now() WHERE event_ids && \(ids)::uuid[]", logger: rig.logger)
                try await inFlight.query("COMMIT", logger: rig.logger)
                return try await resend.value
            }
            #expect(resent == 10, "the relay's rows, marked after the resend began, are sent again")
            #expect(try await rig.outboxCounts() == (10, 0))
        }
    }

    /// The prune deletes rows relayed longer ago than the retention, in batches, and nothing else.
    @Test func thePruneDeletesOnlyRowsRelayedBeforeTheRetention() async throws {
        try await Self.withRig { rig in
            let old = try await rig.write(25)
            let recent = try await rig.write(10)
            let pending = try await rig.write(5)
            try await rig.postgres.query(
                "UPDATE event_outbox SET relayed_at = now() - interval '2 hours' WHERE event_ids && \(old)::uuid[]"
            )
            try await rig.postgres.query(
                "UPDATE event_outbox SET relayed_at = now() - interval '50 minutes' WHERE event_ids && \(recent)::uuid[]"
            )
            // Consumed through now: only the retention holds rows back.
            try await EventOutbox.recordConsumed(through: Self.unixMilliseconds(), client: rig.postgres, logger: rig.logger)
            #expect(try await rig.outbox.prune(relayedBefore: .seconds(3600), batch: 10) == 25)
            #expect(try await rig.outboxIDs() == Set(recent + pending))
            #expect(try await rig.outbox.prune(relayedBefore: .seconds(3600)) == 0)
        }
    }

    /// Rows the stream's consumer has not read (it recorded no progress, or progress older than
    /// their relay) outlive the retention: an outage of webhook-service longer than the retention
    /// followed by a loss of Redis still loses none. A running consumer records its progress, and
    /// the prune then takes them.
    @Test func thePruneKeepsRowsTheConsumerHasNotRead() async throws {
        try await Self.withRig { rig in
            let ids = try await rig.write(12)
            try await rig.relayAll()
            try await rig.postgres.query("UPDATE event_outbox SET relayed_at = now() - interval '3 hours'")
            #expect(try await rig.outbox.prune(relayedBefore: .seconds(3600)) == 0, "no progress recorded: nothing goes")

            let fourHoursAgo = Self.unixMilliseconds() - 4 * 3_600_000
            try await EventOutbox.recordConsumed(through: fourHoursAgo, client: rig.postgres, logger: rig.logger)
            #expect(try await rig.outbox.prune(relayedBefore: .seconds(3600)) == 0, "consumed only up to before their relay")
            #expect(try await rig.outboxIDs() == Set(ids))

            // The consumer made the group, so it has the rows sent again (it cannot know the stream
            // was not lost); it reads them and records how far it got; the rows then go.
            try await Self.running(rig.consumer()) {
                try await rig.expectStoredOnce(ids)
                let deadline = ContinuousClock.now + .seconds(30)
                var pruned = 0
                while pruned < ids.count, ContinuousClock.now < deadline {
                    try await rig.relayAll()
                    pruned += try await rig.outbox.prune(relayedBefore: .zero, clockAllowance: .zero)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(try await rig.outboxIDs() == [])
            // Progress never moves back.
            try await EventOutbox.recordConsumed(through: fourHoursAgo, client: rig.postgres, logger: rig.logger)
            let rows = try await rig.postgres.query("SELECT consumed_through > now() - interval '1 hour' FROM event_stream_progress")
            for try await recent in rows.decode(Bool.self) { #expect(recent) }
        }
    }

    static func unixMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// Relays stopped at any point (cancelled mid-batch, before or after their XADD) and started
    /// again: every event reaches EventStore once, and every row ends relayed.
    @Test func aRelayRestartedMidwayLosesNothing() async throws {
        try await Self.withRig { rig in
            try await Self.running(rig.consumer()) {
                var ids: [UUID] = []
                for round in 0..<30 {
                    ids += try await rig.write(20)
                    let relay = Task { try await rig.outbox.relay(limit: 15) }
                    try await Task.sleep(for: .microseconds(200 * (round % 10)))
                    relay.cancel()
                    _ = try? await relay.value
                }
                try await rig.relayAll()
                try await rig.expectStoredOnce(ids)
                #expect(try await rig.outboxCounts() == (0, 600))
            }
        }
    }

    /// Migration 0022 turns the outbox's one-event rows into rows of event arrays: what was
    /// waiting is still relayed, with its ids, and what was relayed stays kept for a resend.
    @Test func rowsWrittenBeforeTheBatchesAreKeptAndRelayed() async throws {
        let all = try Migration.bundled()
        try await Self.withRig(migrations: all.filter { $0.version < 22 }) { rig in
            let waiting = [UUID.timeOrdered(), UUID.timeOrdered()]
            let relayed = UUID.timeOrdered()
            for (id, relayedAt) in [(waiting[0], "NULL"), (relayed, "now()"), (waiting[1], "NULL")] {
                try await rig.postgres.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO event_outbox (id, org_id, type, data, relayed_at)
                            VALUES ('\(id)', '\(rig.organization)', 'customer.created', '{"n": 1}', \(relayedAt))
                            """
                    ),
                    logger: rig.logger
                )
            }

            try await Migrator(client: rig.postgres, logger: rig.logger).migrate(all)

            let rows = try await rig.postgres.query(
                "SELECT event_ids, types, data, relayed_at IS NOT NULL FROM event_outbox ORDER BY sequence",
                logger: rig.logger
            )
            var kept: [([UUID], [String], [String], Bool)] = []
            for try await row in rows.decode(([UUID], [String], [String], Bool).self) { kept.append(row) }
            #expect(kept.map(\.0) == [[waiting[0]], [relayed], [waiting[1]]], "one row per old row, in order")
            #expect(kept.map(\.3) == [false, true, false])
            #expect(kept.allSatisfy { $0.1 == ["customer.created"] && $0.2 == [#"{"n": 1}"#] })

            let moved = try await rig.outbox.relay()
            #expect(moved == .init(rows: 2, events: 2))
            // XRANGE answers [[entry id, [field, value, …]], …].
            let entries = try await rig.redis.send(["XRANGE", .string(HubEventPublisher.stream), "-", "+"]).array ?? []
            let sent = entries.compactMap { entry -> String? in
                let fields = (entry.array?.last?.array ?? []).compactMap(\.string)
                return fields.firstIndex(of: "id").flatMap { fields.indices.contains($0 + 1) ? fields[$0 + 1] : nil }
            }
            #expect(sent == waiting.map { "evt_" + $0.uuidString.lowercased() }, "the waiting events, in order, and not the relayed one")
        }
    }
}
