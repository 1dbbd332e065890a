import Foundation
import HubCore
import HubTestSupport
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
