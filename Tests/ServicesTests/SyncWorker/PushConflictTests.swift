import Foundation
import HubCore
import HubTestSupport
import XCTest

/// Local writes pushed to Stripe (create, update, delete), and a record changed on both sides
/// settled by each conflict policy, on push-only and bidirectional syncs.
final class PushConflictTests: XCTestCase {
    func testLocalWritesArePushedAndConflictsFollowThePolicy() async throws {
        try await SyncHarness.run(volume: 6) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let connection = try await harness.connectStripe(token)
            let records = "/api/v1/integrations/connections/\(connection)/records/customers"
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                let listed = try await harness.request(.get, records + "?limit=50", token: token).json["data"]?.arrayValue ?? []
                XCTAssertEqual(listed.count, 6)
                func record(_ index: Int) -> (id: String, external: String) {
                    (listed[index]["id"]?.stringValue ?? "", listed[index]["external_id"]?.stringValue ?? "")
                }
                func push(direction: String = "push") async throws -> JSONValue {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers","direction":"\#(direction)"}"#)
                    let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                    return done
                }
                func configure(direction: String, policy: String) async throws {
                    let json = #"{"direction":"\#(direction)","conflict_policy":"\#(policy)"}"#
                    try await harness.putSyncConfig(token, connection: connection, entity: "customers", json: json)
                }
                func remoteName(_ external: String) async throws -> String? {
                    try await harness.stripe(.GET, "customers/\(external)")["name"]?.stringValue
                }

                // Create, update and delete locally, then push.
                let created = try await harness.request(
                    .post,
                    records,
                    token: token,
                    json: #"{"fields":{"name":"Local Co","email":"local@example.com"}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let edited = try await harness.request(
                    .patch,
                    records + "/\(record(0).id)",
                    token: token,
                    json: #"{"fields":{"name":"Edited here"}}"#
                )
                XCTAssertEqual(edited.json["pending_operation"]?.stringValue, "update", edited.text)
                let removed = try await harness.request(.delete, records + "/\(record(1).id)", token: token)
                XCTAssertEqual(removed.status, .ok, removed.text)
                let pushed = try await push()
                XCTAssertEqual(pushed["pushed"]?.intValue, 3, "\(pushed)")
                let newRecord = try await harness.request(.get, records + "/\(created.json["id"]?.stringValue ?? "")", token: token).json
                let newExternal = try XCTUnwrap(newRecord["external_id"]?.stringValue, "\(newRecord)")
                XCTAssertNil(newRecord["pending_operation"]?.stringValue)
                let newRemote = try await harness.stripe(.GET, "customers/\(newExternal)")
                XCTAssertEqual(newRemote["email"]?.stringValue, "local@example.com")
                let editedRemote = try await remoteName(record(0).external)
                XCTAssertEqual(editedRemote, "Edited here")
                let gone = try await harness.stripe(.GET, "customers/\(record(1).external)")
                XCTAssertEqual(gone["deleted"]?.boolValue, true, "\(gone)")
                // Pushing again sends nothing: the writes are done.
                let nothing = try await push()
                XCTAssertEqual(nothing["pushed"]?.intValue, 0)

                // Changed here only, remote wins: no conflict. The store holds the listing's text,
                // the check before the push fetches the record and writes it the hub's way.
                try await configure(direction: "push", policy: "remote_wins")
                _ = try await harness.request(.patch, records + "/\(record(4).id)", token: token, json: #"{"fields":{"name":"Only here"}}"#)
                let quiet = try await push()
                XCTAssertEqual(quiet["pushed"]?.intValue, 1, "\(quiet)")
                XCTAssertEqual(quiet["counts"]?["conflicts"]?.intValue, 0, "\(quiet)")
                let onlyHere = try await remoteName(record(4).external)
                XCTAssertEqual(onlyHere, "Only here")

                // Changed on both sides, push-only: each policy.
                for (policy, expected) in [("remote_wins", "Remote side"), ("local_wins", "Local side")] {
                    try await configure(direction: "push", policy: policy)
                    _ = try await harness.request(.patch, records + "/\(record(2).id)", token: token, json: #"{"fields":{"name":"Local side"}}"#)
                    try await harness.stripe(.POST, "customers/\(record(2).external)", form: "name=Remote+side+\(policy)")
                    let done = try await push()
                    XCTAssertEqual(done["counts"]?["conflicts"]?.intValue, 1, "\(policy): \(done)")
                    XCTAssertEqual(done["error_samples"]?.arrayValue?.first?["kind"]?.stringValue, "conflict", "\(policy): \(done)")
                    let remote = try await remoteName(record(2).external) ?? ""
                    let local = try await harness.request(.get, records + "/\(record(2).id)", token: token).json["fields"]?["name"]?.stringValue ?? ""
                    if expected == "Remote side" {
                        XCTAssertEqual(remote, "Remote side \(policy)")
                        XCTAssertEqual(local, "Remote side \(policy)", "the remote's version is kept locally too")
                    } else {
                        XCTAssertEqual(remote, "Local side")
                    }
                }

                // Bidirectional, newest wins: the remote changed after the local write.
                try await configure(direction: "bidirectional", policy: "newest_wins")
                _ = try await harness.request(.patch, records + "/\(record(3).id)", token: token, json: #"{"fields":{"name":"Older local"}}"#)
                try await Task.sleep(for: .milliseconds(1100))
                try await harness.stripe(.POST, "customers/\(record(3).external)", form: "name=Newer+remote")
                let both = try await push(direction: "bidirectional")
                XCTAssertEqual(both["counts"]?["conflicts"]?.intValue, 1, "\(both)")
                let newer = try await remoteName(record(3).external)
                XCTAssertEqual(newer, "Newer remote")
                let local = try await harness.request(.get, records + "/\(record(3).id)", token: token).json
                XCTAssertEqual(local["fields"]?["name"]?.stringValue, "Newer remote", "\(local)")
                XCTAssertNil(local["pending_operation"]?.stringValue)
            }
        }
    }
}
