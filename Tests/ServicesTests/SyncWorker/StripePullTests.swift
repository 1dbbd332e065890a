import Foundation
import HubCore
import HubTestSupport
import XCTest

/// Full and incremental pulls of Stripe entities through a worker, checked against the sandbox.
final class StripePullTests: XCTestCase {
    func testAFullPullOfCustomersMatchesTheSandboxExactly() async throws {
        try await SyncHarness.run(volume: 45) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            try await harness.withWorkers(1) {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                let remote = try await harness.stripeObjects("customers")
                let stored = try await harness.storedRecords(connection: connection, entity: "customers")
                XCTAssertEqual(remote.count, 45)
                XCTAssertEqual(Set(stored.keys), Set(remote.keys))
                for (id, object) in remote { XCTAssertEqual(stored[id], object, id) }
                XCTAssertEqual(done["counts"]?["created"]?.intValue, 45, "\(done)")
                XCTAssertEqual(done["pages"]?.intValue, 5, "10 a page")

                // Again: nothing changed, everything skipped.
                let again = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let second = try await harness.waitForJob(token, try XCTUnwrap(again["id"]?.stringValue))
                XCTAssertEqual(second["status"]?.stringValue, "completed", "\(second)")
                XCTAssertEqual(second["counts"]?["created"]?.intValue, 0, "\(second)")
                XCTAssertEqual(second["counts"]?["updated"]?.intValue, 0, "\(second)")
            }
        }
    }
}
