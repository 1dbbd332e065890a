import Foundation
import HubConnections
import HubCore
import HubSync
import PostgresNIO
import Testing

/// Who may take a job, against a real PostgreSQL. A queued job is taken; a running one only once
/// its worker has gone silent, since the pair's lock the claimer holds proves nothing after Redis
/// lost it under a live worker. Reading the job before locking its pair, and the sweep that sends
/// lost jobs again, apply the same rule.
@Suite struct SyncRepositoryClaimTests {
    @Test func aRunningJobIsTakenOverOnlyOnceItsWorkerIsSilent() async throws {
        try await SyncRepositoryRowTests.withMigratedClient { client, logger in
            let syncs = SyncRepository(client: client, logger: logger)
            let (organization, _, job, _) = try await SyncRepositoryRowTests.queuedJob(
                ConnectionRepository(client: client, logger: logger),
                syncs
            )
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == false, "queued")
            let first = try #require(try await syncs.claim(job.id, worker: "a", aliveWithin: .seconds(60)).job, "a queued job is taken")
            #expect(first.attempt == 1)

            // Its worker beat just now (the claim itself): a second claimer leaves it.
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == true)
            #expect(try await syncs.claim(job.id, worker: "b", aliveWithin: .seconds(60)) == .beating)
            try await syncs.beat(first)
            #expect(try await syncs.claim(job.id, worker: "b", aliveWithin: .seconds(60)) == .beating)
            #expect(try await syncs.job(organization: organization, id: job.id)?.attempts == 1, "the running attempt went on")

            /// After `silence` (run on the job's row), no worker looks alive, and `worker` takes
            /// the job over as `attempt`.
            func expectTakenOver(after silence: PostgresQuery, by worker: String, attempt: Int) async throws -> RunningJob {
                try await client.query(silence, logger: logger)
                #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == false)
                let taken = try #require(try await syncs.claim(job.id, worker: worker, aliveWithin: .seconds(60)).job, "taken over")
                #expect(taken.attempt == attempt)
                return taken
            }
            // Silent for longer than the window: its worker is taken for dead.
            _ = try await expectTakenOver(
                after: "UPDATE sync_jobs SET heartbeat_at = now() - interval '61 seconds' WHERE id = \(job.id)",
                by: "b",
                attempt: 2
            )
            // Never beaten nor started (a row no claim wrote): silent, never stuck as beating.
            let third = try await expectTakenOver(
                after: "UPDATE sync_jobs SET heartbeat_at = NULL, started_at = NULL WHERE id = \(job.id)",
                by: "c",
                attempt: 3
            )

            // Finished: nothing to do, whoever asks.
            _ = try await client.withTransaction(logger: logger) { db in
                try await syncs.finish(third, status: .completed, reason: nil, on: db)
            }
            #expect(try await syncs.claim(job.id, worker: "c", aliveWithin: .zero) == .nothing)
        }
    }

    /// The sweep sends again a queued job and a running one whose worker is silent (a beat too
    /// old, or none at all), never one whose worker beats, and each only once per period. Its
    /// jobs were last published two days ago, and it looks only that far back, so jobs other
    /// tests publish meanwhile are left alone.
    @Test func theSweepSendsAgainOnlyJobsNoWorkerIsRunning() async throws {
        try await SyncRepositoryRowTests.withMigratedClient { client, logger in
            let connections = ConnectionRepository(client: client, logger: logger)
            let syncs = SyncRepository(client: client, logger: logger)
            var jobs: [String: UUID] = [:]
            for (name, running) in [
                ("queued", ""), ("beating", "now()"), ("silent", "now() - interval '61 seconds'"), ("never beaten", "NULL"),
            ] {
                let job = try await SyncRepositoryRowTests.queuedJob(connections, syncs).job.id
                jobs[name] = job
                let published = "published_at = now() - interval '2 days'"
                let state = running.isEmpty ? "" : "status = 'running', heartbeat_at = \(running), started_at = \(running),"
                try await client.query("UPDATE sync_jobs SET \(unescaped: state) \(unescaped: published) WHERE id = \(job)", logger: logger)
            }
            let nearlyTwoDays = Duration.seconds(2 * 86_400 - 60)
            let sent = Set(try await syncs.republishable(olderThan: nearlyTwoDays, silentFor: .seconds(60), limit: 10_000).map(\.id))
            #expect(sent.isSuperset(of: [jobs["queued"]!, jobs["silent"]!, jobs["never beaten"]!]))
            #expect(!sent.contains(jobs["beating"]!), "a beating job stays its worker's")
            let again = Set(try await syncs.republishable(olderThan: nearlyTwoDays, silentFor: .seconds(60), limit: 10_000).map(\.id))
            #expect(again.isDisjoint(with: jobs.values), "each is sent once per period")
        }
    }
}

extension SyncRepository.Claim {
    /// The job taken, if the claim took one.
    fileprivate var job: RunningJob? {
        if case .run(let job) = self { job } else { nil }
    }
}
