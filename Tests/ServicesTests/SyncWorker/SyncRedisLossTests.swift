import Foundation
import HubCore
import HubTestSupport
import Testing

/// Redis is disposable: when it loses its data under a running job, the job goes on (its worker
/// takes the lock again) and ends with every record once; a job queued when the stream was lost
/// is sent again at once by the worker that recreates the stream, not minutes later.
@Suite(.serialized) struct SyncRedisLossTests {
    static let settings = ["HUB_SYNC_LOCK_TTL_SECONDS": "2", "HUB_SYNC_REPUBLISH_AFTER_SECONDS": "3600"]

    @Test func aRunningJobOutlivesRedisBeingFlushed() async throws {
        try await SyncHarness.run(volume: 200, environment: Self.settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":250}"#)
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try #require(job["id"]?.stringValue)
                _ = try await harness.waitForPages(token, id, atLeast: 3)
                _ = try await harness.hub.dependencies.redis.send(["FLUSHALL"])
                let done = try await harness.waitForJob(token, id, timeout: .seconds(60))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect(done["attempts"]?.intValue == 1, "the same attempt went on: \(done)")
                #expect(done["counts"]?["created"]?.intValue == 200, "\(done)")
                #expect(try await harness.rowCount(connection: connection, entity: "customers") == 200)
            }
        }
    }

    @Test func aQueuedJobWhoseStreamWasLostIsSentAgainAtOnce() async throws {
        try await SyncHarness.run(volume: 30, environment: Self.settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            // No worker runs: the job's stream entry is lost with the flush.
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
            let id = try #require(job["id"]?.stringValue)
            _ = try await harness.hub.dependencies.redis.send(["FLUSHALL"])
            let started = ContinuousClock.now
            try await harness.withWorkers(1) {
                let done = try await harness.waitForJob(token, id, timeout: .seconds(30))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
            }
            #expect(ContinuousClock.now - started < .seconds(30), "sent again by the worker, not by the hourly sweep")
            #expect(try await harness.rowCount(connection: connection, entity: "customers") == 30)
        }
    }
}
