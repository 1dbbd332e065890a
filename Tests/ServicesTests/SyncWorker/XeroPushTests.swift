import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// Local writes pushed to Xero through the records API: a new customer and an edited invoice
/// reach the sandbox, and an invoice Xero refuses becomes a record-level error sample with
/// Xero's own message, not a failed job. XCTest, like the `SyncHarness` it runs on.
final class XeroPushTests: XCTestCase {
    static let fields = ["access_token": XeroProvider.seededToken, "tenant_id": XeroProvider.seededTenantID]
    static let api: HTTPHeaders = ["Authorization": "Bearer \(XeroProvider.seededToken)", "xero-tenant-id": XeroProvider.seededTenantID]

    func testANewCustomerAndAnEditedInvoiceReachXeroAndARefusedInvoiceIsARecordError() async throws {
        try await SyncHarness.run(volume: 6) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            let base = "/api/v1/integrations/connections/\(connection)/records"
            @Sendable func push(_ entity: String) async throws -> JSONValue {
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"\#(entity)","direction":"push"}"#)
                return try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
            }
            try await harness.withWorkers(1) {
                try await harness.sync(token, connection: connection, entity: "customers")
                try await harness.sync(token, connection: connection, entity: "invoices")

                let created = try await harness.request(
                    .post,
                    base + "/customers",
                    token: token,
                    json: #"{"fields":{"name":"Pushed Co","email":"pushed@example.com"}}"#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let pushedCustomers = try await push("customers")
                XCTAssertEqual(pushedCustomers["status"]?.stringValue, "completed", "\(pushedCustomers)")
                XCTAssertEqual(pushedCustomers["pushed"]?.intValue, 1, "\(pushedCustomers)")
                let found = try await harness.sandbox.send(
                    .GET,
                    "/xero/api.xro/2.0/Contacts?where=Name%3D%3D%22Pushed%20Co%22",
                    headers: Self.api
                )
                let contact = try XCTUnwrap(found.json["Contacts"]?.arrayValue?.first, found.text)
                XCTAssertEqual(contact["EmailAddress"]?.stringValue, "pushed@example.com")
                let stored = try await harness.request(.get, base + "/customers/\(created.json["id"]?.stringValue ?? "")", token: token).json
                XCTAssertEqual(stored["external_id"], contact["ContactID"], "\(stored)")

                let invoices = try await harness.request(.get, base + "/invoices?limit=50", token: token).json["data"]?.arrayValue ?? []
                let first = try XCTUnwrap(invoices.first { $0["external_id"]?.stringValue == XeroProvider.seededID("Invoices", 0) })
                let edited = try await harness.request(
                    .patch,
                    base + "/invoices/\(first["id"]?.stringValue ?? "")",
                    token: token,
                    json: #"{"fields":{"description":"PO 4711"}}"#
                )
                XCTAssertEqual(edited.json["pending_operation"]?.stringValue, "update", edited.text)
                let refused = try await harness.request(.post, base + "/invoices", token: token, json: #"{"fields":{"number":"NO-CONTACT"}}"#)
                XCTAssertEqual(refused.status, .created, refused.text)
                let pushedInvoices = try await push("invoices")
                XCTAssertEqual(pushedInvoices["status"]?.stringValue, "completed", "\(pushedInvoices)")
                XCTAssertEqual(pushedInvoices["pushed"]?.intValue, 1, "\(pushedInvoices)")
                let sample = try XCTUnwrap(pushedInvoices["error_samples"]?.arrayValue?.first, "\(pushedInvoices)")
                XCTAssertEqual(sample["kind"]?.stringValue, "error")
                XCTAssertEqual(sample["message"]?.stringValue, "A Contact must be specified for this type of transaction")
                let remote = try await harness.sandbox.send(
                    .GET,
                    "/xero/api.xro/2.0/Invoices/\(XeroProvider.seededID("Invoices", 0))",
                    headers: Self.api
                )
                XCTAssertEqual(remote.json["Invoices"]?.arrayValue?.first?["Reference"]?.stringValue, "PO 4711", remote.text)
            }
        }
    }
}
