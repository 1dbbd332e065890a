import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import XCTest

/// Local writes through the records API hold only the entity's canonical fields, each with a
/// value that fits it: what the provider would refuse at the next push is refused now.
final class RecordRoutesTests: XCTestCase {
    func testALocalWriteTakesOnlyTheEntitysFieldsWithValuesThatFitThem() async throws {
        try await ServiceHarness.withConnectedStripe { harness, token, connection in
            let records = "\(connection)/records/customers"
            for (body, field) in [
                (#"{"fields":{"email":12345}}"#, "fields.email"),
                (#"{"fields":{"name":"Ada","balance":"lots"}}"#, "fields.balance"),
                (#"{"fields":{"currency":"euro"}}"#, "fields.currency"),
                (#"{"fields":{"colour":"red"}}"#, "fields.colour"),
                (#"{"fields":{"email":"not-an-email"}}"#, "fields.email"),
                (#"{"fields":{"email":"ada@example"}}"#, "fields.email"),
                (#"{"fields":{"id":"cus_x","name":"Ada"}}"#, "fields.id"),
            ] {
                let refused = try await harness.request(.post, records, token: token, json: body)
                XCTAssertEqual(refused.status, .unprocessableContent, "\(body): \(refused.text)")
                XCTAssertEqual(refused.json["error"]?["details"]?["field"]?.stringValue, field, refused.text)
            }
            let written = try await harness.request(
                .post,
                records,
                token: token,
                json: #"{"fields":{"name":"Ada","balance":-250,"email":"ada.lovelace+books@example.co.uk"}}"#
            )
            XCTAssertEqual(written.status, .created, written.text)
            let id = try XCTUnwrap(written.json["id"]?.stringValue, written.text)
            let edit = try await harness.request(.patch, "\(records)/\(id)", token: token, json: #"{"fields":{"tax_exempt":"yes"}}"#)
            XCTAssertEqual(edit.status, .unprocessableContent, edit.text)
            let listed = try await harness.request(.get, records, token: token)
            XCTAssertEqual(listed.json["data"]?.arrayValue?.count, 1, "nothing refused was kept: \(listed.text)")
            XCTAssertEqual(listed.json["data"]?.arrayValue?.first?["fields"]?["tax_exempt"], nil, listed.text)
        }
    }

    /// A forged cursor whose instant no row can have is a 422 on every list, and the service
    /// answers the next request (it once died of an overflow).
    /// Every answer carries the record's version in ETag; a write with If-Match changes the
    /// record only at that version, so of two writers who read the same version one wins and the
    /// other is told (412, with the version now), instead of silently undoing the first.
    func testIfMatchRefusesAWriteOverAChangeTheWriterHasNotSeen() async throws {
        try await ServiceHarness.withConnectedStripe { harness, token, connection in
            let records = "\(connection)/records/customers"
            let created = try await harness.request(.post, records, token: token, json: #"{"fields":{"name":"Ada"}}"#)
            let id = try XCTUnwrap(created.json["id"]?.stringValue, created.text)
            let first = try XCTUnwrap(created.headers[.eTag], "a created record's version")
            let read = try await harness.request(.get, "\(records)/\(id)", token: token)
            XCTAssertEqual(read.headers[.eTag], first)

            func patch(_ name: String, ifMatch: String?) async throws -> ServiceHarness.Reply {
                try await harness.request(
                    .patch,
                    "\(records)/\(id)",
                    token: token,
                    json: #"{"fields":{"name":"\#(name)"}}"#,
                    headers: ifMatch.map { [.ifMatch: $0] } ?? [:]
                )
            }
            // Ten writers who all read the first version: exactly one wins.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for writer in 0..<10 { group.addTask { try await patch("Writer \(writer)", ifMatch: first).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.filter { $0 == .ok }.count, 1, "\(statuses)")
            XCTAssertEqual(statuses.filter { $0 == .preconditionFailed }.count, 9, "\(statuses)")
            let now = try await harness.request(.get, "\(records)/\(id)", token: token)
            let second = try XCTUnwrap(now.headers[.eTag])
            XCTAssertNotEqual(second, first)
            let winner = try XCTUnwrap(now.json["fields"]?["name"]?.stringValue)

            // A stale version is refused with the current one, and changes nothing.
            let stale = try await patch("Late", ifMatch: first)
            XCTAssertEqual(stale.status, .preconditionFailed, stale.text)
            XCTAssertEqual(stale.json["error"]?["code"]?.stringValue, "precondition_failed")
            XCTAssertEqual(stale.json["error"]?["details"]?["etag"]?.stringValue, second)
            for tag in ["W/\(second)", "\"nope\"", "nope"] {
                let refused = try await patch("Late", ifMatch: tag)
                XCTAssertEqual(refused.status, .preconditionFailed, "\(tag) matches nothing")
            }
            let unchanged = try await harness.request(.get, "\(records)/\(id)", token: token)
            XCTAssertEqual(unchanged.json["fields"]?["name"]?.stringValue, winner)

            // The current version, one of a list, or * is taken; no If-Match is as before.
            let listed = try await patch("Listed", ifMatch: "\(first), \(second)")
            XCTAssertEqual(listed.status, .ok, listed.text)
            let third = try XCTUnwrap(listed.headers[.eTag])
            let any = try await patch("Any", ifMatch: "*")
            XCTAssertEqual(any.status, .ok)
            let plain = try await patch("Plain", ifMatch: nil)
            XCTAssertEqual(plain.status, .ok)

            // DELETE too; a record that is not there is 404 whatever If-Match says.
            let refusedDelete = try await harness.request(.delete, "\(records)/\(id)", token: token, headers: [.ifMatch: third])
            XCTAssertEqual(refusedDelete.status, .preconditionFailed, refusedDelete.text)
            let reread = try await harness.request(.get, "\(records)/\(id)", token: token)
            let current = try XCTUnwrap(reread.headers[.eTag])
            let deleted = try await harness.request(.delete, "\(records)/\(id)", token: token, headers: [.ifMatch: current])
            XCTAssertEqual(deleted.status, .ok, deleted.text)
            let gone = try await patch("Gone", ifMatch: current)
            XCTAssertEqual(gone.status, .notFound)
            let unknown = try await harness.request(
                .patch,
                "\(records)/\(UUID())",
                token: token,
                json: #"{"fields":{"name":"X"}}"#,
                headers: [.ifMatch: current]
            )
            XCTAssertEqual(unknown.status, .notFound)
        }
    }

    func testAForgedCursorIsRefusedAndTheServiceLivesOn() async throws {
        try await ServiceHarness.withConnectedStripe { harness, token, connection in
            let forged = PageRequest.encode("\(Int64.min):\(UUID().uuidString)")
            for list in ["\(connection)/records/customers", "\(connection)/sync/jobs", "/api/v1/integrations/connections"] {
                let refused = try await harness.request(.get, "\(list)?cursor=\(forged)", token: token)
                XCTAssertEqual(refused.status, .unprocessableContent, "\(list): \(refused.text)")
                XCTAssertEqual(refused.json["error"]?["details"]?["field"]?.stringValue, "cursor", refused.text)
            }
            let after = try await harness.request(.get, connection, token: token)
            XCTAssertEqual(after.status, .ok, after.text)
        }
    }
}
