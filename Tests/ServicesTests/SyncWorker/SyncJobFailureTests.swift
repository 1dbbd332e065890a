import Foundation
import HubCore
import HubTestSupport
import PostgresNIO
import Testing

/// A job that meets an error no retry can cure (here PostgreSQL refuses every page it writes, as a
/// broken constraint or a bug would) ends as failed with a reason, at its first attempt. It used to
/// be taken up again and again without end, holding its entity: every other sync of it was refused
/// as in progress.
@Suite(.serialized) struct SyncJobFailureTests {
    @Test func aJobThatMeetsAnErrorNoRetryCuresFailsOnce() async throws {
        try await SyncHarness.run(volume: 12) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            _ = try await RefusingTrigger.install(
                "refuse_records",
                refusing: "INSERT",
                on: "sync_records",
                message: "a broken invariant",
                client: harness.hub.dependencies.postgres,
                logger: harness.logger
            )
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try #require(job["id"]?.stringValue)
                let done = try await harness.waitForJob(token, id, timeout: .seconds(30))
                #expect(done["status"]?.stringValue == "failed", "\(done)")
                #expect(done["attempts"]?.intValue == 1, "\(done)")
                #expect(done["status_reason"]?.stringValue?.contains("internal error") == true, "\(done)")
                #expect(done["status_reason"]?.stringValue?.contains("broken invariant") == false, "no database text in the answer")
            }
        }
    }
}
