import Foundation
import HubConnections
import HubCore
import Logging
import PostgresNIO
import Testing

@testable import HubSync

/// Retention of sync job history against the shared test database. Each test has a connection of
/// its own and reads back only its jobs; the suite runs serially because a prune deletes every
/// organization's old jobs, and the batch test counts what one batch took.
@Suite(.serialized) struct SyncJobRetentionTests {
    static let retention = Duration.seconds(90 * 86_400)

    /// Old finished jobs go with their problems and seen marks; the newest finished job of each
    /// entity stays however old, as do queued jobs and finished ones inside the retention.
    @Test func oldFinishedJobsGoButEachEntityKeepsItsLastSync() async throws {
        try await Fixture.run { fixture in
            let replaced = try await fixture.job(.completed, daysAgo: 100, problems: 2, seenMarks: 3)
            let failed = try await fixture.job(.failed, daysAgo: 95, problems: 1)
            let lastCustomers = try await fixture.job(.completed, daysAgo: 92)
            let queued = try await fixture.job(.queued, daysAgo: 91)
            let onlyProducts = try await fixture.job(.cancelled, daysAgo: 200, entity: "products")
            let oldInvoices = try await fixture.job(.cancelled, daysAgo: 120, entity: "invoices", problems: 1)
            let recentInvoices = try await fixture.job(.completed, daysAgo: 10, entity: "invoices")

            let pruned = try await fixture.retention.prune(olderThan: Self.retention)
            #expect(pruned.jobs >= 3 && pruned.problems >= 4, "\(pruned)")
            #expect(try await fixture.jobsLeft() == [onlyProducts, lastCustomers, queued, recentInvoices])
            #expect(try await fixture.problemsLeft() == 0, "the kept jobs recorded none; the others' went with them")
            #expect(try await fixture.seenMarksLeft(of: replaced) == 0)
            #expect(try await fixture.syncs.job(organization: fixture.organization, id: failed) == nil, "the API no longer finds it")
            #expect(try await fixture.syncs.job(organization: fixture.organization, id: oldInvoices) == nil)

            // Nothing else is past the retention now: a second pass deletes nothing of these.
            _ = try await fixture.retention.prune(olderThan: Self.retention)
            #expect(try await fixture.jobsLeft() == [onlyProducts, lastCustomers, queued, recentInvoices])
        }
    }

    /// The last job of an entity that failed part-way is kept past the retention, so the next job
    /// still continues from where it stopped (`failedPosition`).
    @Test func aKeptFailedJobIsStillResumed() async throws {
        try await Fixture.run { fixture in
            _ = try await fixture.job(.completed, daysAgo: 150)
            _ = try await fixture.job(.failed, daysAgo: 120, cursor: "cus_page_7")
            _ = try await fixture.retention.prune(olderThan: Self.retention)
            #expect(try await fixture.jobsLeft().count == 1)

            let next = try await fixture.syncs.enqueue(
                organization: fixture.organization,
                connection: fixture.connection,
                entity: "customers",
                direction: .pull,
                fullResync: false,
                trigger: .manual
            )
            guard case .run(let running) = try await fixture.syncs.claim(next.job.id, worker: "w", aliveWithin: .seconds(60)) else {
                Issue.record("the new job was not taken")
                return
            }
            #expect(running.cursor == "cus_page_7")
        }
    }

    /// A batch deletes at most its limit, oldest first; a prune goes on until a batch comes back
    /// short. Five old jobs and the newest: 2 in the first batch, the other 3 in the prune after.
    @Test func aPruneDeletesInBatchesOldestFirst() async throws {
        try await Fixture.run { fixture in
            var old: [UUID] = []
            for days in [140, 130, 120, 110, 100] { old.append(try await fixture.job(.completed, daysAgo: days)) }
            let newest = try await fixture.job(.completed, daysAgo: 1)

            let first = try await fixture.retention.pruneBatch(olderThan: Self.retention, limit: 2)
            #expect(first.jobs == 2)
            #expect(try await fixture.jobsLeft() == Array(old.dropFirst(2)) + [newest])
            _ = try await fixture.retention.prune(olderThan: Self.retention, batch: 2)
            #expect(try await fixture.jobsLeft() == [newest])
        }
    }

    /// One connection's jobs, made with the times and states a test needs.
    struct Fixture {
        let client: PostgresClient
        let logger: Logger
        let syncs: SyncRepository
        let retention: SyncJobRetention
        let organization: UUID
        let connection: UUID

        /// Runs `body` with a fresh connected connection, after a prune clears what earlier runs
        /// left past the retention (so a batch's count is this test's own).
        static func run(_ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
            try await SyncRepositoryRowTests.withMigratedClient { client, logger in
                let organization = UUID()
                let connection = try await ConnectionRepository(client: client, logger: logger).insert(
                    .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
                )
                let retention = SyncJobRetention(client: client, retention: SyncJobRetentionTests.retention, logger: logger)
                _ = try await retention.prune(olderThan: SyncJobRetentionTests.retention)
                try await body(
                    Fixture(
                        client: client,
                        logger: logger,
                        syncs: SyncRepository(client: client, logger: logger),
                        retention: retention,
                        organization: organization,
                        connection: connection.id
                    )
                )
            }
        }

        /// A job of `entity` created `daysAgo` days ago and left in `status`, with that many
        /// recorded problems and seen marks. Jobs of one entity must be made oldest first, and a
        /// queued one last: an entity has one active job at a time.
        func job(
            _ status: SyncJobStatus,
            daysAgo: Int,
            entity: String = "customers",
            problems: Int = 0,
            seenMarks: Int = 0,
            cursor: String? = nil
        ) async throws -> UUID {
            let id = try await syncs.enqueue(
                organization: organization,
                connection: connection,
                entity: entity,
                direction: .pull,
                fullResync: false,
                trigger: .manual
            ).job.id
            let finished = status == .queued ? "NULL" : "created_at + interval '1 minute'"
            try await client.query(
                """
                UPDATE sync_jobs SET status = \(status.rawValue), cursor = \(cursor),
                    created_at = now() - \(daysAgo) * interval '1 day', finished_at = \(unescaped: finished)
                WHERE id = \(id)
                """,
                logger: logger
            )
            for problem in 0..<problems {
                try await client.query(
                    "INSERT INTO sync_job_errors (job_id, org_id, message) VALUES (\(id), \(organization), \("problem \(problem)"))",
                    logger: logger
                )
            }
            for mark in 0..<seenMarks {
                try await client.query("INSERT INTO sync_seen (job_id, external_id) VALUES (\(id), \("cus_\(mark)"))", logger: logger)
            }
            return id
        }

        /// The connection's jobs, oldest first.
        func jobsLeft() async throws -> [UUID] {
            let rows = try await client.query(
                "SELECT id FROM sync_jobs WHERE connection_id = \(connection) ORDER BY created_at",
                logger: logger
            )
            return try await rows.collect().map { try $0.decode(UUID.self) }
        }

        func problemsLeft() async throws -> Int {
            try await count("SELECT count(*)::int FROM sync_job_errors WHERE org_id = \(organization)")
        }

        func seenMarksLeft(of job: UUID) async throws -> Int {
            try await count("SELECT count(*)::int FROM sync_seen WHERE job_id = \(job)")
        }

        private func count(_ query: PostgresQuery) async throws -> Int {
            let rows = try await client.query(query, logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }
}
