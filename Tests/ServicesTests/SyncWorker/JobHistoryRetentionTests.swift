import Foundation
import HubCore
import HubTestSupport
import XCTest

/// A sync-worker deletes finished jobs past `HUB_SYNC_JOB_RETENTION_DAYS` as it starts (and every
/// 10 minutes after): the API stops listing and finding them, while the entity's last sync stays.
final class JobHistoryRetentionTests: XCTestCase {
    func testAWorkerPrunesOldJobsAndKeepsTheLastSync() async throws {
        try await SyncHarness.run(environment: ["HUB_SYNC_JOB_RETENTION_DAYS": "1"]) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            try await harness.withWorkers(1) {
                for _ in 0..<3 {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                    let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                }
            }
            // The first two are two days old; the last one too, but it is the entity's last sync.
            try await harness.hub.dependencies.postgres.query(
                "UPDATE sync_jobs SET created_at = created_at - interval '2 days' WHERE connection_id = \(UUID(uuidString: connection)!)",
                logger: harness.logger
            )
            let path = "/api/v1/integrations/connections/\(connection)/sync/jobs"
            let listed = try await harness.request(.get, path, token: token)
            let jobs = Array((listed.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []).reversed())
            XCTAssertEqual(jobs.count, 3, listed.text)

            try await harness.withWorkers(1) {
                var left: [String] = []
                let pruned = try await waitUntil(upTo: .seconds(20), every: .milliseconds(100)) {
                    let page = try await harness.request(.get, path, token: token)
                    left = page.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                    return left.count < 3
                }
                XCTAssertTrue(pruned, "the worker pruned nothing")
                XCTAssertEqual(left, [jobs[2]], "only the last sync is left")
            }
            for old in jobs.prefix(2) {
                let gone = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(old)", token: token)
                XCTAssertEqual(gone.status, .notFound, gone.text)
            }
            let last = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(jobs[2])", token: token)
            XCTAssertEqual(last.json["status"]?.stringValue, "completed", last.text)
        }
    }
}
