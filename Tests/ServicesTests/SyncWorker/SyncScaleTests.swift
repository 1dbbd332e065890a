import Foundation
import HubCore
import HubTestSupport
import PostgresNIO
import XCTest

/// Several workers at once: twenty jobs across connections all complete, each run once; a due
/// schedule with three scheduling replicas enqueues exactly one job.
final class SyncScaleTests: XCTestCase {
    func testThreeWorkersRunTwentyJobsEachOnce() async throws {
        try await SyncHarness.run(volume: 30) { harness in
            // One Stripe connection per organization (the design's rule): five organizations.
            var made: [(token: String, connection: String)] = []
            for _ in 0..<5 {
                let token = try await harness.hub.token(organization: UUID())
                made.append((token, try await harness.connectStripe(token)))
            }
            let connections = made
            try await harness.withWorkers(3) {
                var jobs: [(token: String, id: String)] = []
                for (token, connection) in connections {
                    for entity in ["customers", "products", "prices", "invoices"] {
                        let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"\#(entity)"}"#)
                        jobs.append((token, try XCTUnwrap(job["id"]?.stringValue)))
                    }
                }
                XCTAssertEqual(Set(jobs.map(\.id)).count, 20)
                for (token, id) in jobs {
                    let done = try await harness.waitForJob(token, id, timeout: .seconds(120))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                    XCTAssertEqual(done["attempts"]?.intValue, 1, "run once: \(done)")
                }
                let expected = try await harness.stripeObjects("customers").count
                for (_, connection) in connections {
                    let stored = try await harness.storedRecords(connection: connection, entity: "customers")
                    XCTAssertEqual(stored.count, expected)
                }
                // The workers named in the jobs: the work was shared.
                let rows = try await harness.hub.dependencies.postgres.query(
                    "SELECT count(DISTINCT worker)::int FROM sync_jobs",
                    logger: harness.logger
                )
                var workers: [Int] = []
                for try await count in rows.decode(Int.self) { workers.append(count) }
                XCTAssertGreaterThan(workers.first ?? 0, 1, "one worker did everything")
            }
        }
    }

    func testADueScheduleEnqueuesOnceWithThreeReplicas() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            try await harness.scheduleHourly(token, connection: connection, entity: "customers")
            // Due now.
            try await harness.hub.dependencies.postgres.query(
                "UPDATE sync_configs SET next_run_at = now() - interval '1 second'",
                logger: harness.logger
            )
            @Sendable func scheduledJobs() async throws -> Int {
                let rows = try await harness.hub.dependencies.postgres.query(
                    "SELECT count(*)::int FROM sync_jobs WHERE trigger = 'schedule'",
                    logger: harness.logger
                )
                return try await rows.decode(Int.self).reduce(0, +)
            }
            try await harness.withWorkers(3) {
                // However slowly the three start, one schedules the run; then a few more rounds
                // of each give the others their chance to schedule it again.
                let scheduled = try await waitUntil(upTo: .seconds(60)) { try await scheduledJobs() > 0 }
                XCTAssertTrue(scheduled, "a due run was scheduled")
                try await Task.sleep(for: .seconds(4))
            }
            let jobs = try await scheduledJobs()
            XCTAssertEqual(jobs, 1, "one due run, one job")
            let rows = try await harness.hub.dependencies.postgres.query(
                "SELECT extract(epoch FROM next_run_at - now())::float8 FROM sync_configs",
                logger: harness.logger
            )
            let nextIn = try await rows.decode(Double.self).reduce(into: [Double]()) { $0.append($1) }
            XCTAssertEqual(nextIn.count, 1)
            XCTAssertGreaterThan(nextIn.first ?? 0, 3500, "the next run is an interval away")
        }
    }
}
