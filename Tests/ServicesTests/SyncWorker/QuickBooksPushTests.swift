import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import XCTest

/// Local writes pushed to QuickBooks through the records API: a new customer and an edited
/// invoice reach the company, and an update whose `SyncToken` went stale while it was sent (a
/// user saved in QuickBooks in between) is settled by the conflict policy, never lost.
final class QuickBooksPushTests: XCTestCase {
    func testANewCustomerAndAnEditedInvoiceArePushedAndStaleTokensFollowThePolicy() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, _, provider) = try await harness.connectQuickBooks(organization: org, volumes: ["Invoice": 4, "Customer": 4])
            let base = "/api/v1/integrations/connections/\(connection)"
            try await harness.withWorkers(1) {
                func push(_ entity: String) async throws -> JSONValue {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"\#(entity)","direction":"push"}"#)
                    let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                    XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                    return done
                }
                try await harness.sync(token, connection: connection, entity: "customers")
                try await harness.sync(token, connection: connection, entity: "invoices")

                let created = try await harness.request(
                    .post,
                    base + "/records/customers",
                    token: token,
                    json: #"{"fields":{"name":"Made in the hub","email":"hub@example.com"}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let pushedCustomer = try await push("customers")
                XCTAssertEqual(pushedCustomer["pushed"]?.intValue, 1, "\(pushedCustomer)")
                let customer = try await harness.request(.get, base + "/records/customers/\(created.json["id"]?.stringValue ?? "")", token: token)
                let customerID = try XCTUnwrap(customer.json["external_id"]?.stringValue, customer.text)
                let remoteCustomer = try await provider.get("customers", id: customerID)
                XCTAssertEqual(remoteCustomer.payload["DisplayName"], "Made in the hub")
                XCTAssertEqual(remoteCustomer.payload["PrimaryEmailAddr"]?["Address"], "hub@example.com")

                let invoices = try await harness.request(.get, base + "/records/invoices?limit=50", token: token).json["data"]?.arrayValue ?? []
                let invoice = try XCTUnwrap(invoices.first { $0["external_id"] == "2" })
                let invoiceRecord = base + "/records/invoices/\(invoice["id"]?.stringValue ?? "")"
                func edit(_ note: String, policy: String) async throws -> JSONValue {
                    let json = #"{"direction":"push","conflict_policy":"\#(policy)"}"#
                    try await harness.putSyncConfig(token, connection: connection, entity: "invoices", json: json)
                    let patched = try await harness.request(.patch, invoiceRecord, token: token, json: #"{"fields":{"description":"\#(note)"}}"#)
                    XCTAssertEqual(patched.status, .ok, patched.text)
                    return try await push("invoices")
                }

                let plain = try await edit("Edited in the hub", policy: "local_wins")
                XCTAssertEqual(plain["pushed"]?.intValue, 1, "\(plain)")
                XCTAssertEqual(plain["counts"]?["conflicts"]?.intValue, 0, "\(plain)")
                var remote = try await provider.get("invoices", id: "2")
                XCTAssertEqual(remote.payload["PrivateNote"], "Edited in the hub")
                XCTAssertEqual(remote.payload["SyncToken"], "1")

                // A user saves the invoice in QuickBooks between the hub's read and its write.
                try await harness.sandbox.send(.PUT, "/_admin/quickbooks/concurrent_edits", json: #"{"count":1}"#)
                let localWins = try await edit("The hub's version", policy: "local_wins")
                XCTAssertEqual(localWins["counts"]?["conflicts"]?.intValue, 1, "\(localWins)")
                XCTAssertEqual(localWins["pushed"]?.intValue, 1, "\(localWins)")
                remote = try await provider.get("invoices", id: "2")
                XCTAssertEqual(remote.payload["PrivateNote"], "The hub's version")
                XCTAssertEqual(remote.payload["SyncToken"], "3", "the user's save, then the hub's")

                try await harness.sandbox.send(.PUT, "/_admin/quickbooks/concurrent_edits", json: #"{"count":1}"#)
                let remoteWins = try await edit("Not kept", policy: "remote_wins")
                XCTAssertEqual(remoteWins["counts"]?["conflicts"]?.intValue, 1, "\(remoteWins)")
                remote = try await provider.get("invoices", id: "2")
                XCTAssertEqual(remote.payload["PrivateNote"], "Edited in QuickBooks")
                let local = try await harness.request(.get, invoiceRecord, token: token).json
                XCTAssertEqual(local["fields"]?["description"]?.stringValue, "Edited in QuickBooks", "\(local)")
                XCTAssertNil(local["pending_operation"]?.stringValue)
            }
        }
    }

    /// An invoice made in the hub with two canonical lines (cents, product and tax code) is
    /// created in QuickBooks with those two sales lines, in dollars.
    func testANewInvoiceWithTwoCanonicalLinesIsCreatedWithThoseLines() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, _, provider) = try await harness.connectQuickBooks(organization: org, volumes: ["Invoice": 2, "Customer": 3])
            let base = "/api/v1/integrations/connections/\(connection)"
            try await harness.withWorkers(1) {
                let created = try await harness.request(
                    .post,
                    base + "/records/invoices",
                    token: token,
                    json: #"""
                        {"fields":{"customer_id":"1","currency":"USD","lines":[
                        {"description":"Design","quantity":3,"unit_amount":12550,"amount":37650,"product_id":"1","tax_rate_id":"NON"},
                        {"description":"Rush fee","quantity":1,"unit_amount":1999,"amount":1999,"product_id":"2"}]}}
                        """#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices","direction":"push"}"#)
                let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                XCTAssertEqual(done["pushed"]?.intValue, 1, "\(done)")
                XCTAssertEqual(done["counts"]?["errors"]?.intValue ?? 0, 0, "\(done)")
                let record = try await harness.request(.get, base + "/records/invoices/\(created.json["id"]?.stringValue ?? "")", token: token).json
                let externalID = try XCTUnwrap(record["external_id"]?.stringValue, "\(record)")

                let remote = try await provider.get("invoices", id: externalID)
                let lines = remote.payload["Line"]?.arrayValue ?? []
                XCTAssertEqual(lines.map { $0["DetailType"]?.stringValue }, ["SalesItemLineDetail", "SalesItemLineDetail"], "\(remote.payload)")
                XCTAssertEqual(lines.map { $0["Description"]?.stringValue }, ["Design", "Rush fee"])
                XCTAssertEqual(lines.map { $0["Amount"]?.numberValue }, [376.5, 19.99])
                XCTAssertEqual(lines.map { $0["SalesItemLineDetail"]?["ItemRef"]?["value"]?.stringValue }, ["1", "2"])
                XCTAssertEqual(lines.map { $0["SalesItemLineDetail"]?["Qty"]?.numberValue }, [3, 1])
                XCTAssertEqual(lines.map { $0["SalesItemLineDetail"]?["UnitPrice"]?.numberValue }, [125.5, 19.99])
                XCTAssertEqual(lines.first?["SalesItemLineDetail"]?["TaxCodeRef"]?["value"]?.stringValue, "NON")
                XCTAssertEqual(remote.payload["TotalAmt"]?.numberValue, 396.49)
                XCTAssertEqual(remote.payload["CustomerRef"]?["value"]?.stringValue, "1")
            }
        }
    }

    /// A PATCH of one member of an address changes that member and keeps the others, in the
    /// store and in QuickBooks, whose update replaces `BillAddr` whole (they were lost once: the
    /// merge was of top-level fields only). Lines are checked member by member when written.
    func testAnAddressMemberChangedAloneKeepsTheOthersHereAndInQuickBooks() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, _, provider) = try await harness.connectQuickBooks(organization: org, volumes: ["Invoice": 1, "Customer": 2])
            let base = "/api/v1/integrations/connections/\(connection)"
            try await harness.withWorkers(1) {
                func push() async throws {
                    let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"customers","direction":"push"}"#)
                    let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                    XCTAssertEqual(done["pushed"]?.intValue, 1, "\(done)")
                }
                let created = try await harness.request(
                    .post,
                    base + "/records/customers",
                    token: token,
                    json: #"{"fields":{"name":"Quay Books","address":{"line1":"9 Quay","city":"Cork","postal_code":"T12","country":"IE"}}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let record = base + "/records/customers/\(created.json["id"]?.stringValue ?? "")"
                try await push()
                let pushed = try await harness.request(.get, record, token: token)
                let externalID = try XCTUnwrap(pushed.json["external_id"]?.stringValue, pushed.text)

                let patched = try await harness.request(.patch, record, token: token, json: #"{"fields":{"address":{"postal_code":"T23"}}}"#)
                XCTAssertEqual(patched.status, .ok, patched.text)
                let address: JSONValue = ["line1": "9 Quay", "city": "Cork", "postal_code": "T23", "country": "IE"]
                XCTAssertEqual(patched.json["fields"]?["address"], address, patched.text)
                try await push()
                let remote = try await provider.get("customers", id: externalID)
                XCTAssertEqual(
                    remote.payload["BillAddr"]?.objectValue?.filter { $0.key != "Id" },
                    ["Line1": "9 Quay", "City": "Cork", "PostalCode": "T23", "Country": "IE"],
                    "\(remote.payload)"
                )
                let stored = try await harness.request(.get, record, token: token)
                XCTAssertEqual(stored.json["fields"]?["address"], address, stored.text)

                for (body, place) in [
                    (#"{"fields":{"address":{"street":"1 Main"}}}"#, "fields.address.street"),
                    (#"{"fields":{"address":{"city":5}}}"#, "fields.address.city"),
                ] {
                    let refused = try await harness.request(.patch, record, token: token, json: body)
                    XCTAssertEqual(refused.status, .unprocessableContent, "\(body): \(refused.text)")
                    XCTAssertEqual(refused.json["error"]?["details"]?["field"]?.stringValue, place, refused.text)
                }
                for (lines, place) in [
                    (#"[{"description":"Design","amount":"abc"}]"#, "fields.lines[0].amount"),
                    (#"[{"amount":100},{"amount":1e300}]"#, "fields.lines[1].amount"),
                    (#"[{"amount":100,"colour":"red"}]"#, "fields.lines[0].colour"),
                    (#"["Design"]"#, "fields.lines[0]"),
                ] {
                    let body = #"{"fields":{"customer_id":"1","currency":"USD","lines":\#(lines)}}"#
                    let refused = try await harness.request(.post, base + "/records/invoices", token: token, json: body)
                    XCTAssertEqual(refused.status, .unprocessableContent, "\(lines): \(refused.text)")
                    XCTAssertEqual(refused.json["error"]?["details"]?["field"]?.stringValue, place, refused.text)
                }
            }
        }
    }
}
