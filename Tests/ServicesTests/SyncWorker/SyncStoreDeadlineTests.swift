import Foundation
import HubCore
import HubTestSupport
import Testing

/// A job never stops for good behind one statement: when the worker's sessions stop answering
/// (their backends frozen, as connections whose server went away without the worker hearing of
/// it), the job's call is abandoned at the store deadline, the job comes back with its stream
/// entry and completes on new connections with every record once. Without the deadline it waited
/// on the frozen session for as long as it stayed frozen.
@Suite struct SyncStoreDeadlineTests {
    @Test func aJobStuckOnASessionThatNeverAnswersComesBackAndCompletes() async throws {
        let settings = ["HUB_SYNC_STORE_DEADLINE_SECONDS": "2", "HUB_SYNC_CLAIM_IDLE_SECONDS": "3", "HUB_SYNC_LOCK_TTL_SECONDS": "3"]
        try await SyncHarness.run(volume: 200, environment: settings) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            // Slow pages: the worker's sessions sit idle while it waits on the provider.
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":300}"#)
            let worker = try harness.workerProcess()
            try worker.start()
            defer { worker.kill() }
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
            let id = try #require(job["id"]?.stringValue)
            _ = try await harness.waitForPages(token, id, atLeast: 2)

            // For 1.5 s every session of the worker's is stopped as it goes idle, so the job's next
            // call lands on a stopped one whichever its pool hands out; the window ends before the
            // 2 s deadline, so the connections opened after it work.
            let frozen = try await harness.database.freezeSessions(applicationName: "sync-worker", window: .milliseconds(1500))
            defer { TestDatabase.thaw(frozen) }
            #expect(!frozen.isEmpty, "the worker's idle sessions")
            let done = try await harness.waitForJob(token, id, timeout: .seconds(60))
            #expect(done["status"]?.stringValue == "completed", "\(done)\n\(worker.outputText.suffix(2000))")
            #expect((done["attempts"]?.intValue ?? 0) >= 2, "came back after its stuck call was abandoned: \(done)")
            #expect(done["counts"]?["created"]?.intValue == 200, "\(done)")
            #expect(try await harness.rowCount(connection: connection, entity: "customers") == 200)
        }
    }
}
