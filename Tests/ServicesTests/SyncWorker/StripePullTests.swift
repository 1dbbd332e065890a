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
                // The default mapping filled the canonical fields.
                let records = try await harness.request(
                    .get,
                    "/api/v1/integrations/connections/\(connection)/records/customers?limit=1",
                    token: token
                )
                let first = try XCTUnwrap(records.json["data"]?.arrayValue?.first, records.text)
                let source = try XCTUnwrap(remote[first["external_id"]?.stringValue ?? ""])
                XCTAssertEqual(first["fields"]?["email"], source["email"], records.text)
                XCTAssertEqual(first["fields"]?["id"], source["id"], records.text)

                // Again: nothing changed, everything skipped.
                let again = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                let second = try await harness.waitForJob(token, try XCTUnwrap(again["id"]?.stringValue))
                XCTAssertEqual(second["status"]?.stringValue, "completed", "\(second)")
                XCTAssertEqual(second["counts"]?["created"]?.intValue, 0, "\(second)")
                XCTAssertEqual(second["counts"]?["updated"]?.intValue, 0, "\(second)")
            }
        }
    }

    func testAnIncrementalPullSeesExactlyWhatChanged() async throws {
        try await SyncHarness.run(volume: 30) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            try await harness.withWorkers(1) {
                func sync() async throws -> JSONValue {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers"}"#)
                    let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                    return done
                }
                _ = try await sync()
                let before = try await harness.stripeObjects("customers")
                let ids = before.keys.sorted()
                try await harness.stripe(.POST, "customers", form: "email=new%40example.com&name=Newcomer")
                try await harness.stripe(.POST, "customers", form: "email=second%40example.com")
                try await harness.stripe(.POST, "customers/\(ids[0])", form: "name=Renamed")
                try await harness.stripe(.DELETE, "customers/\(ids[1])")

                let incremental = try await sync()
                XCTAssertEqual(incremental["counts"]?["created"]?.intValue, 2, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["updated"]?.intValue, 1, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["deleted"]?.intValue, 1, "\(incremental)")
                XCTAssertLessThanOrEqual(incremental["pages"]?.intValue ?? 99, 1, "only the changes are listed")
                let remote = try await harness.stripeObjects("customers")
                let stored = try await harness.storedRecords(connection: connection, entity: "customers")
                XCTAssertEqual(Set(stored.keys), Set(remote.keys))
                for (id, object) in remote { XCTAssertEqual(stored[id], object, id) }
                let rows = try await harness.rowCount(connection: connection, entity: "customers")
                XCTAssertEqual(rows, 32, "the deleted one is kept, marked")

                // The records API shows the deletion with include_deleted only.
                let live = try await harness.request(.get, "/api/v1/integrations/connections/\(connection)/records/customers?limit=200", token: token)
                XCTAssertEqual(live.json["data"]?.arrayValue?.count, 31, live.text)
                let all = try await harness.request(
                    .get,
                    "/api/v1/integrations/connections/\(connection)/records/customers?limit=200&include_deleted=true",
                    token: token
                )
                XCTAssertEqual(all.json["data"]?.arrayValue?.count, 32)
            }
        }
    }
}
