import Foundation
import HubCore
import HubRedis
import HubTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HubSync
@testable import SyncWorker

/// The keeper of a running job's lease (`JobLeaseKeeper`), on a database and Redis of its own.
@Suite struct JobLeaseKeeperTests {
    /// A heartbeat stuck on a session that never answers (its backend frozen, as a connection
    /// whose server went away without the worker hearing of it) is given up at a third of the
    /// lease's TTL, so the keeper goes on extending the lease and it never lapses: another worker
    /// could otherwise take the job while this one still runs it. Without the heartbeat's
    /// deadline the keeper waited on the frozen session, and the lease expired.
    @Test func aHeartbeatStuckOnASessionThatNeverAnswersDoesNotLetTheLeaseLapse() async throws {
        try await TestHub.withOwnStores(prefix: "hub_keeper", service: .syncWorker) { hub, database in
            // The heartbeat has a pool of its own, so that only its sessions are frozen.
            try await TestDatabase.withClient(database.url, maximumConnections: 10, applicationName: "stuck-heartbeat") { client in
                try await Self.exercise(hub: hub, database: database, heartbeats: client)
            }
        }
    }

    static func exercise(hub: TestHub, database: TestDatabase, heartbeats: PostgresClient) async throws {
        let dependencies = hub.dependencies
        let recorder = LogRecorder(level: .debug)  // a missed beat is logged at debug
        let keeper = JobLeaseKeeper(
            lock: RedisLock(client: dependencies.redis),
            syncs: SyncRepository(client: heartbeats, logger: dependencies.logger)
        )
        // Extended every 4 s; a beat stuck for its 4 s deadline makes 8 s between extensions, 4 s
        // inside the TTL (a loaded machine has stalled 2 s).
        let ttl = Duration.seconds(12)
        let key = "hub:lock:sync:keeper-test"
        let lease = try #require(try await keeper.lock.acquire(key: key, ttl: ttl))
        let job = RunningJob(
            id: UUID(),
            organizationID: UUID(),
            connectionID: UUID(),
            entity: "customers",
            direction: .pull,
            fullResync: false,
            trigger: .manual,
            attempt: 1
        )
        let keeping = Task { try await keeper.keep(HeldLease(lease), ttl: ttl, job: job, logger: recorder.logger(label: "keeper")) }
        defer { keeping.cancel() }

        // The first extension beats once, so the heartbeat's pool has a session to freeze: frozen
        // as soon as it is idle, however late that beat comes.
        let frozen = try await database.freezeSessions(applicationName: "stuck-heartbeat", window: ttl / 3 + .seconds(3))
        defer { TestDatabase.thaw(frozen) }
        try #require(!frozen.isEmpty, "the heartbeat's idle sessions")

        // Two TTLs: the lease must be held by this keeper at every look.
        let end = ContinuousClock.now + ttl * 2
        var (looks, lapsed) = (0, 0)
        while ContinuousClock.now < end {
            looks += 1
            if try await dependencies.redis.get(key) != lease.token { lapsed += 1 }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lapsed == 0, "the lease was not this keeper's at \(lapsed) of \(looks) looks")
        #expect(recorder.contains("writing a sync job's heartbeat did not finish within 4"), "\(recorder.all.map(\.metadata))")
        #expect(!recorder.contains("taken again"), "\(recorder.all.map(\.message))")
        keeping.cancel()
        _ = await keeping.result
    }
}
