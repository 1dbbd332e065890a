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
            let connection = try await harness.connectSlowStripe(token)
            let (midway, stored, done, output) = try await harness.jobTakenOverAfterKill(
                token,
                connection: connection,
                entity: "customers",
                afterPages: 5,
                holding: "stripe"
            )
            XCTAssertEqual(midway["status"]?.stringValue, "running", "killed mid-job: \(midway)")
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 200, "the kill came before the end")
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(output)")
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

    /// SIGTERM (a rolling deploy, a scale-down) mid-job: the worker stops promptly and cleanly,
    /// and the next worker finishes the job from its cursor with every record once.
    func testAStoppedWorkersJobIsFinishedByTheNextFromItsCursor() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectSlowStripe(token)
            let taken = try await harness.jobsTakenOver(
                token,
                jobs: [(connection, "customers")],
                afterPages: 5,
                signal: SIGTERM,
                holding: "stripe"
            )
            let (midway, stored, done) = (taken.midway[0], taken.storedAtKill[0], taken.done[0])
            XCTAssertEqual(taken.firstExit.status, 0, "the stopped worker did not exit cleanly")
            XCTAssertLessThan(taken.firstExit.after, .seconds(10), "the worker took \(taken.firstExit.after) to stop")
            XCTAssertNotEqual(midway["status"]?.stringValue, "failed", "stopping is not the job's failure: \(midway)")
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 200, "the stop came before the end")
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(taken.output)")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 200, "every record created once across both workers: \(done)")
            XCTAssertEqual(done["counts"]?["skipped"]?.intValue, 0, "resumed from the cursor, not from the start: \(done)")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            let rows = try await harness.rowCount(connection: connection, entity: "customers")
            XCTAssertEqual(rows, 200, "no duplicate rows")
            let records = try await harness.storedRecords(connection: connection, entity: "customers")
            let remote = try await harness.stripeObjects("customers")
            XCTAssertEqual(Set(records.keys), Set(remote.keys))
        }
    }

    func testCancelStopsARunningJobAtAPageBoundary() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectSlowStripe(token)
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try XCTUnwrap(job["id"]?.stringValue)
                let progress = try await harness.waitForPages(token, id, atLeast: 2)
                XCTAssertEqual(progress["status"]?.stringValue, "running")
                // A duplicate trigger while it runs returns this very job.
                let duplicate = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                XCTAssertEqual(duplicate["id"]?.stringValue, id)
                let cancel = try await harness.request(.post, "/api/v1/integrations/sync/jobs/\(id)/cancel", token: token)
                XCTAssertEqual(cancel.status, .ok, cancel.text)
                let done = try await harness.waitForJob(token, id)
                XCTAssertEqual(done["status"]?.stringValue, "cancelled", "\(done)")
                let pages = done["pages"]?.intValue ?? 0
                XCTAssertLessThan(pages, 20, "stopped before the last page (a job that wrote it completes)")
                let rows = try await harness.rowCount(connection: connection, entity: "customers")
                XCTAssertEqual(rows, pages * 10, "exactly the committed pages' records")
            }
        }
    }

    /// A full resync cancelled before its sweep is never resumed, so what it noted as seen is
    /// removed with its end.
    func testACancelledFullResyncLeavesNoSeenMarks() async throws {
        try await SyncHarness.run(volume: 200) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectSlowStripe(token)
            try await harness.withWorkers(1) {
                let first = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                _ = try await harness.waitForJob(token, try XCTUnwrap(first["id"]?.stringValue))
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers","full_resync":true}"#)
                let id = try XCTUnwrap(job["id"]?.stringValue)
                _ = try await harness.waitForPages(token, id, atLeast: 2)
                let cancel = try await harness.request(.post, "/api/v1/integrations/sync/jobs/\(id)/cancel", token: token)
                XCTAssertEqual(cancel.status, .ok, cancel.text)
                let done = try await harness.waitForJob(token, id)
                XCTAssertEqual(done["status"]?.stringValue, "cancelled", "\(done)")
                let seen = try await harness.seenMarkCount()
                XCTAssertEqual(seen, 0, "a cancelled resync's seen marks outlived it")
                let rows = try await harness.rowCount(connection: connection, entity: "customers")
                XCTAssertEqual(rows, 200, "nothing was swept")
            }
        }
    }

    /// A provider that keeps failing exhausts the job's retry budget: the job fails with a
    /// readable reason and its cursor kept; the next job for the pair continues from there.
    func testARunOutRetryBudgetFailsResumably() async throws {
        try await SyncHarness.run(volume: 200, environment: ["HUB_SYNC_RETRY_BUDGET": "2"]) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectSlowStripe(token)
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let id = try XCTUnwrap(job["id"]?.stringValue)
                _ = try await harness.waitForPages(token, id, atLeast: 3)
                _ = try await harness.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"server_error_share":1}"#)
                let failed = try await harness.waitForJob(token, id)
                XCTAssertEqual(failed["status"]?.stringValue, "failed", "\(failed)")
                XCTAssertTrue(failed["status_reason"]?.stringValue?.contains("gave up after 3 failed calls") == true, "\(failed)")
                let donePages = failed["pages"]?.intValue ?? 0
                XCTAssertLessThan(donePages, 20)

                _ = try await harness.sandbox.send(.DELETE, "/_admin/faults/stripe")
                let resumed = try await harness.sync(token, connection: connection, entity: "customers")
                XCTAssertEqual(resumed["pages"]?.intValue, 20 - donePages, "continued from the failed job's cursor: \(resumed)")
                let created = (failed["counts"]?["created"]?.intValue ?? 0) + (resumed["counts"]?["created"]?.intValue ?? 0)
                XCTAssertEqual(created, 200, "no record twice, none missed")
                let stored = try await harness.storedRecords(connection: connection, entity: "customers")
                let remote = try await harness.stripeObjects("customers")
                XCTAssertEqual(Set(stored.keys), Set(remote.keys))
            }
        }
    }
}
