import Foundation
import HubCore
import HubTestSupport
import XCTest

/// A worker process killed with SIGKILL in the middle of a multi-page job: another worker takes
/// the job over and resumes from the last saved cursor; the store ends exactly equal to the
/// provider, with no duplicate and no gap. And a cancel stops a running job at a page boundary.
final class SyncCrashTests: XCTestCase {
    func testAKilledWorkersJobIsFinishedByAnotherFromItsCursor() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            // 60 ms a Stripe call: 21 pages take over a second, time enough to kill mid-job.
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":60}"#)
            let first = try harness.workerProcess()
            try first.start()
            defer { first.kill() }
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
            let id = try XCTUnwrap(job["id"]?.stringValue)
            let deadline = ContinuousClock.now + .seconds(60)
            var pages = 0
            while pages < 5, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                pages = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json["pages"]?.intValue ?? 0
            }
            XCTAssertGreaterThanOrEqual(pages, 5, first.outputText)
            first.kill()
            _ = await first.wait()
            let midway = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
            XCTAssertEqual(midway["status"]?.stringValue, "running", "killed mid-job: \(midway)")
            let stored = try await harness.rowCount(connection: connection, entity: "customers")
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 200, "the kill came before the end")

            let second = try harness.workerProcess()
            try second.start()
            defer { second.kill() }
            let done = try await harness.waitForJob(token, id, timeout: .seconds(90))
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(second.outputText.suffix(3000))")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 200, "every record created once across both attempts: \(done)")
            let remote = try await harness.stripeObjects("customers")
            let records = try await harness.storedRecords(connection: connection, entity: "customers")
            XCTAssertEqual(remote.count, 200)
            XCTAssertEqual(Set(records.keys), Set(remote.keys))
            for (key, object) in remote where records[key] != object { XCTFail("\(key) differs") }
            let rows = try await harness.rowCount(connection: connection, entity: "customers")
            XCTAssertEqual(rows, 200, "no duplicate rows")
        }
    }

    func testCancelStopsARunningJobAtAPageBoundary() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":60}"#)
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try XCTUnwrap(job["id"]?.stringValue)
                var progress: JSONValue = .null
                while (progress["pages"]?.intValue ?? 0) < 2 {
                    try await Task.sleep(for: .milliseconds(20))
                    progress = try await harness.request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
                }
                XCTAssertEqual(progress["status"]?.stringValue, "running")
                // A duplicate trigger while it runs returns this very job.
                let duplicate = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                XCTAssertEqual(duplicate["id"]?.stringValue, id)
                let cancel = try await harness.request(.post, "/api/v1/integrations/sync/jobs/\(id)/cancel", token: token)
                XCTAssertEqual(cancel.status, .ok, cancel.text)
                let done = try await harness.waitForJob(token, id)
                XCTAssertEqual(done["status"]?.stringValue, "cancelled", "\(done)")
                let pages = done["pages"]?.intValue ?? 0
                XCTAssertLessThan(pages, 21, "stopped before the end")
                let rows = try await harness.rowCount(connection: connection, entity: "customers")
                XCTAssertEqual(rows, pages * 10, "exactly the committed pages' records")
            }
        }
    }
}
