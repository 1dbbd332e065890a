import Foundation
import HubCore
import HubTestSupport
import XCTest

/// A QuickBooks pull whose worker process is killed with SIGKILL midway: another worker resumes
/// it from the saved STARTPOSITION cursor, and every invoice is stored exactly once.
final class QuickBooksCrashTests: XCTestCase {
    func testAKilledWorkersQuickBooksPullResumesFromItsCursor() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, _, _) = try await harness.connectQuickBooks(organization: org, volumes: ["Invoice": 200])
            _ = try await harness.sandbox.send(.PUT, "/_admin/faults/quickbooks", json: #"{"latency_ms":60}"#)
            let first = try harness.workerProcess()
            try first.start()
            defer { first.kill() }
            let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices"}"#)
            let id = try XCTUnwrap(job["id"]?.stringValue)
            _ = try await harness.waitForPages(token, id, atLeast: 5)
            first.kill()
            _ = await first.wait()
            let stored = try await harness.rowCount(connection: connection, entity: "invoices")
            XCTAssertGreaterThan(stored, 0)
            XCTAssertLessThan(stored, 200, "the kill came before the end")

            let second = try harness.workerProcess()
            try second.start()
            defer { second.kill() }
            let done = try await harness.waitForJob(token, id, timeout: .seconds(90))
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(second.outputText.suffix(3000))")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 200, "every record created once across both attempts: \(done)")
            let records = try await harness.storedRecords(connection: connection, entity: "invoices")
            XCTAssertEqual(Set(records.keys), Set((1...200).map(String.init)))
            let rows = try await harness.rowCount(connection: connection, entity: "invoices")
            XCTAssertEqual(rows, 200, "no duplicate rows")
        }
    }
}
