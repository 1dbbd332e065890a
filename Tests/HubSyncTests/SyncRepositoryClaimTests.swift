import Foundation
import HubConnections
import HubCore
import HubSync
import Testing

/// Claiming a job against a real PostgreSQL: a queued job is taken, a running one only once its
/// worker has gone silent, since the pair's lock the claimer holds proves nothing after Redis lost
/// it under a live worker. Reading the job before locking its pair tells the same.
@Suite struct SyncRepositoryClaimTests {
    @Test func aRunningJobIsTakenOverOnlyOnceItsWorkerIsSilent() async throws {
        try await SyncRepositoryRowTests.withMigratedClient { client, logger in
            let connections = ConnectionRepository(client: client, logger: logger)
            let syncs = SyncRepository(client: client, logger: logger)
            let organization = UUID()
            let connection = try await connections.insert(
                .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
            )
            let (job, _) = try await syncs.enqueue(
                organization: organization,
                connection: connection.id,
                entity: "customers",
                direction: .pull,
                fullResync: false,
                trigger: .manual
            )
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == false, "queued")
            guard case .run(let first) = try await syncs.claim(job.id, worker: "a", aliveWithin: .seconds(60)) else {
                Issue.record("a queued job is taken")
                return
            }
            #expect(first.attempt == 1)

            // Its worker beat just now (the claim itself): a second claimer leaves it.
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == true)
            #expect(try await syncs.claim(job.id, worker: "b", aliveWithin: .seconds(60)) == .beating)
            try await syncs.beat(first)
            #expect(try await syncs.claim(job.id, worker: "b", aliveWithin: .seconds(60)) == .beating)
            #expect(try await syncs.job(organization: organization, id: job.id)?.attempts == 1, "the running attempt went on")

            // Silent for longer than the window: its worker is taken for dead.
            try await client.query("UPDATE sync_jobs SET heartbeat_at = now() - interval '61 seconds' WHERE id = \(job.id)", logger: logger)
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == false)
            guard case .run(let second) = try await syncs.claim(job.id, worker: "b", aliveWithin: .seconds(60)) else {
                Issue.record("a silent worker's job is taken over")
                return
            }
            #expect(second.attempt == 2)

            // Never beaten nor started (a row no claim wrote): silent, never stuck as beating.
            try await client.query("UPDATE sync_jobs SET heartbeat_at = NULL, started_at = NULL WHERE id = \(job.id)", logger: logger)
            #expect(try await syncs.jobTarget(job.id, aliveWithin: .seconds(60))?.beating == false)
            guard case .run(let third) = try await syncs.claim(job.id, worker: "c", aliveWithin: .seconds(60)) else {
                Issue.record("a running job without a beat is taken over")
                return
            }
            #expect(third.attempt == 3)

            // Finished: nothing to do, whoever asks.
            _ = try await client.withTransaction(logger: logger) { db in
                try await syncs.finish(third, status: .completed, reason: nil, on: db)
            }
            #expect(try await syncs.claim(job.id, worker: "c", aliveWithin: .zero) == .nothing)
        }
    }
}
