import Foundation
import HubCore
import HubTestSupport
import PostgresNIO
import XCTest

/// A first pull of a connection's customers inserts without looking for stored records; a record
/// stored meanwhile (here written straight into the store, as a webhook would) turns its page into
/// an upsert instead of failing the job, and nothing is lost or doubled.
final class FirstImportTests: XCTestCase {
    func testARecordStoredDuringAFirstImportIsTakenInByAnUpsert() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let connection = try await harness.connectSlowStripe(token)
            // Stripe lists newest first: the oldest customer is on the last page.
            let listed = try await harness.sandbox.send(
                .GET,
                "/stripe/v1/customers?limit=100&starting_after=\(try await Self.hundredth(harness))",
                headers: ["Authorization": "Bearer sk_test_sandbox"]
            ).json
            let last = try XCTUnwrap(listed["data"]?.arrayValue?.last?["id"]?.stringValue)
            // A worker process, so that its log shows which way the pull wrote.
            let worker = try harness.workerProcess()
            try worker.start()
            defer { worker.kill() }
            do {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try XCTUnwrap(job["id"]?.stringValue)
                let progress = try await harness.waitForPages(token, id, atLeast: 2)
                XCTAssertLessThan(progress["pages"]?.intValue ?? 20, 20, "still pulling: \(progress)")
                let stored = UUID()
                let inserted = try await harness.hub.dependencies.postgres.query(
                    """
                    INSERT INTO sync_records (id, org_id, connection_id, entity, external_id, payload, canonical)
                    VALUES (\(stored), \(organization), \(UUID(uuidString: connection)!), 'customers', \(last), '{}', '{}')
                    ON CONFLICT DO NOTHING RETURNING id
                    """,
                    logger: harness.logger
                )
                var rows = 0
                for try await _ in inserted.decode(UUID.self) { rows += 1 }
                XCTAssertEqual(rows, 1, "stored before the pull reached the last page")

                let done = try await harness.waitForJob(token, id)
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                XCTAssertEqual(done["counts"]?["created"]?.intValue, 199, "\(done)")
                XCTAssertEqual(done["counts"]?["updated"]?.intValue, 1, "the stored record was updated, not inserted again: \(done)")
                let remote = try await harness.stripeObjects("customers")
                let records = try await harness.storedRecords(connection: connection, entity: "customers")
                XCTAssertEqual(Set(records.keys), Set(remote.keys))
                for (key, object) in remote where records[key] != object { XCTFail("\(key) differs") }
                let total = try await harness.rowCount(connection: connection, entity: "customers")
                XCTAssertEqual(total, 200, "no duplicate rows")
                let kept = try await harness.hub.dependencies.postgres.query(
                    "SELECT count(*)::int FROM sync_records WHERE id = \(stored) AND external_id = \(last)",
                    logger: harness.logger
                )
                for try await count in kept.decode(Int.self) { XCTAssertEqual(count, 1, "the stored row kept its id") }
                XCTAssertTrue(
                    worker.outputText.contains("the batch is written again as upserts"),
                    "the pull began as a first import and met the stored record: \(worker.outputText.suffix(2000))"
                )
            }
        }
    }

    /// The id of the 100th customer in Stripe's listing order.
    static func hundredth(_ harness: SyncHarness) async throws -> String {
        let page = try await harness.sandbox.send(.GET, "/stripe/v1/customers?limit=100", headers: ["Authorization": "Bearer sk_test_sandbox"]).json
        return try XCTUnwrap(page["data"]?.arrayValue?.last?["id"]?.stringValue)
    }
}
