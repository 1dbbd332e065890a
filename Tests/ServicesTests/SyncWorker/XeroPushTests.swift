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

    /// An approved invoice made in the hub with two canonical lines is created in Xero with them
    /// (not only as a draft), its amounts in NZD and its tax Xero's.
    func testAnApprovedInvoiceWithTwoCanonicalLinesIsCreatedWithThem() async throws {
        try await SyncHarness.run(volume: 6) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            let base = "/api/v1/integrations/connections/\(connection)/records"
            try await harness.withWorkers(1) {
                let contact = XeroProvider.seededID("Contacts", 0)
                let created = try await harness.request(
                    .post,
                    base + "/invoices",
                    token: token,
                    json: #"""
                        {"fields":{"customer_id":"\#(contact)","currency":"NZD","status":"AUTHORISED","number":"HUB-1","lines":[
                        {"description":"Consulting","quantity":2,"unit_amount":5000,"amount":10000,"tax_rate_id":"OUTPUT2","account_id":"200"},
                        {"description":"Travel","quantity":1,"unit_amount":1234,"amount":1234,"tax_rate_id":"NONE","account_id":"200"}]}}
                        """#
                )
                XCTAssertEqual(created.status, .created, created.text)
                let job = try await harness.trigger(token, connection: connection, json: #"{"entity":"invoices","direction":"push"}"#)
                let done = try await harness.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                XCTAssertEqual(done["pushed"]?.intValue, 1, "\(done)")
                XCTAssertEqual(done["error_samples"]?.arrayValue?.count ?? 0, 0, "\(done)")
                let stored = try await harness.request(.get, base + "/invoices/\(created.json["id"]?.stringValue ?? "")", token: token).json
                let externalID = try XCTUnwrap(stored["external_id"]?.stringValue, "\(stored)")

                let remote = try await harness.sandbox.send(.GET, "/xero/api.xro/2.0/Invoices/\(externalID)", headers: Self.api)
                let invoice = try XCTUnwrap(remote.json["Invoices"]?.arrayValue?.first, remote.text)
                XCTAssertEqual(invoice["Status"]?.stringValue, "AUTHORISED")
                XCTAssertEqual(invoice["InvoiceNumber"]?.stringValue, "HUB-1")
                let lines = invoice["LineItems"]?.arrayValue ?? []
                XCTAssertEqual(lines.map { $0["Description"]?.stringValue }, ["Consulting", "Travel"], remote.text)
                XCTAssertEqual(lines.map { $0["Quantity"]?.numberValue }, [2, 1])
                XCTAssertEqual(lines.map { $0["UnitAmount"]?.numberValue }, [50, 12.34])
                XCTAssertEqual(lines.map { $0["LineAmount"]?.numberValue }, [100, 12.34])
                XCTAssertEqual(lines.map { $0["TaxType"]?.stringValue }, ["OUTPUT2", "NONE"])
                XCTAssertEqual(lines.map { $0["AccountCode"]?.stringValue }, ["200", "200"])
                XCTAssertEqual(invoice["Total"]?.numberValue, 127.34)
            }
        }
    }
}
