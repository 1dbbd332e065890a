import Foundation
import HubCore
import ProviderSandbox
import Testing

@testable import HubConnectors

/// Listing Xero through the connector against the sandbox: every page with exact counts,
/// resuming from a stored cursor, and incremental listings whose voided and archived objects
/// become deletions.
@Suite struct XeroConnectorListingTests {
    @Test func listsEveryPageOfInvoicesAndBillsWithExactCounts() async throws {
        // 3,000 seeded Invoices: every fourth is a bill (ACCPAY), the rest sales invoices.
        try await XeroSandboxHarness.run(volume: 3000) { harness in
            let connector = harness.connector()
            let invoices = try await harness.listAll(connector, "invoices", pageSize: 100)
            #expect(invoices.records.count == 2250)
            #expect(Set(invoices.records.map(\.externalID)).count == 2250)
            #expect(invoices.pages == 23)
            #expect(invoices.records.allSatisfy { $0.payload["Type"]?.stringValue == "ACCREC" && $0.updatedAt != nil })
            #expect(invoices.checkpoint != nil)
            let bills = try await harness.listAll(connector, "bills", pageSize: 1000)
            #expect(bills.records.count == 750)
            #expect(bills.pages == 1)
        }
    }

    @Test func resumesAListingFromItsStoredCursorInAnotherConnector() async throws {
        try await XeroSandboxHarness.run(volume: 250) { harness in
            let first = try await harness.connector().list(ListRequest(entity: "payments", pageSize: 100))
            #expect(first.records.count == 100)
            let cursor = try #require(first.nextCursor)
            // A new connector (as after a worker restart) carries on from the stored cursor.
            let rest = try await harness.connector().list(ListRequest(entity: "payments", cursor: cursor, pageSize: 100))
            let last = try await harness.connector().list(ListRequest(entity: "payments", cursor: try #require(rest.nextCursor), pageSize: 100))
            #expect(last.records.count == 50)
            #expect(last.nextCursor == nil)
            #expect(Set((first.records + rest.records + last.records).map(\.externalID)).count == 250)
        }
    }

    @Test func listsEveryEntityOfTheCatalog() async throws {
        try await XeroSandboxHarness.run(volume: 20) { harness in
            let connector = harness.connector()
            // Contacts: i % 3 == 0 customer only, 1 both, 2 supplier only.
            let expected = [
                "customers": 14, "vendors": 13, "products": 20, "accounts": 10, "tax_rates": 5, "invoices": 15, "bills": 5,
                "payments": 20, "credit_notes": 20, "bank_transactions": 20,
            ]
            for definition in XeroConnector.definition.entities {
                let listed = try await harness.listAll(connector, definition.name, pageSize: 100)
                #expect(listed.records.count == expected[definition.name], "\(definition.name)")
                let mapping = try #require(XeroConnector.defaultFieldMappings[definition.name])
                let mapped = mapping.map(try #require(listed.records.first).payload)
                #expect(mapped.errors.isEmpty, "\(definition.name): \(mapped.errors)")
            }
        }
    }

    @Test func ifModifiedSinceIsWrittenInXerosFormRoundedDown() throws {
        #expect(XeroConnector.ifModifiedSince(1_767_225_614_999) == "2026-01-01T00:00:14")
        let checkpoint = try #require(XeroConnector.checkpoint(newest: 1_767_225_614_999, started: 1_767_225_700_000))
        #expect(checkpoint == "2026-01-01T00:00:09.999Z", "five seconds before the newest change seen")
        #expect(XeroConnector.checkpoint(newest: 1_767_225_800_000, started: 1_767_225_700_000) == "2026-01-01T00:01:35Z")
    }

    @Test func incrementalListingSeesChangesAndReportsVoidedAndArchivedAsDeletions() async throws {
        try await XeroSandboxHarness.run(volume: 20) { harness in
            let connector = harness.connector()
            let full = try await harness.listAll(connector, "invoices")
            let checkpoint = try #require(full.checkpoint)
            // Seeded index 0 is AUTHORISED, index 1 PAID, index 2 DRAFT (all sales invoices).
            let voided = XeroSeedIDs.invoice(0)
            let edited = XeroSeedIDs.invoice(1)
            let deletedDraft = XeroSeedIDs.invoice(2)
            try await harness.adminSave("Invoices", #"{"InvoiceID":"\#(voided)","Status":"VOIDED"}"#)
            _ = try await connector.update("invoices", id: edited, fields: ["Reference": "changed"], idempotencyKey: nil)
            try await connector.delete("invoices", id: deletedDraft)
            let created = try await connector.create(
                "invoices",
                fields: ["Contact": ["ContactID": .string(XeroSeedIDs.contact(0))], "Status": "DRAFT"],
                idempotencyKey: "incremental-create"
            )
            let changes = try await harness.listAll(connector, "invoices", since: checkpoint)
            // The checkpoint overlaps the newest seeded change by five seconds: the sales invoices seeded 14–18 are read again.
            let overlap = [14, 16, 17, 18].map(XeroSeedIDs.invoice)
            #expect(Set(changes.records.map(\.externalID)) == Set([edited, created.externalID] + overlap))
            #expect(Set(changes.deleted) == [voided, deletedDraft])
            #expect(changes.records.first { $0.externalID == edited }?.payload["Reference"]?.stringValue == "changed")

            let contacts = try await harness.listAll(connector, "customers")
            let vendors = try await harness.listAll(connector, "vendors")
            try await harness.adminSave("Contacts", #"{"ContactID":"\#(XeroSeedIDs.contact(3))","ContactStatus":"ARCHIVED"}"#)
            // Seeded contact 0 only buys; a bill makes it a supplier that no longer buys.
            try await harness.adminSave("Contacts", #"{"ContactID":"\#(XeroSeedIDs.contact(0))","IsCustomer":false,"IsSupplier":true}"#)
            let contactChanges = try await harness.listAll(connector, "customers", since: try #require(contacts.checkpoint))
            #expect(contactChanges.deleted.contains(XeroSeedIDs.contact(3)))
            #expect(contactChanges.deleted.contains(XeroSeedIDs.contact(0)), "no longer a customer: gone from customers")
            #expect(!contactChanges.records.map(\.externalID).contains(XeroSeedIDs.contact(0)))
            let vendorChanges = try await harness.listAll(connector, "vendors", since: try #require(vendors.checkpoint))
            #expect(vendorChanges.records.map(\.externalID).contains(XeroSeedIDs.contact(0)), "now a vendor")
        }
    }
}

/// The ids of the sandbox's seeded objects (`XeroProvider.seededID`).
enum XeroSeedIDs {
    static func invoice(_ index: Int) -> String { id("Invoices", index) }
    static func contact(_ index: Int) -> String { id("Contacts", index) }

    static func id(_ resource: String, _ index: Int) -> String {
        XeroProvider.seededID(resource, index)
    }
}
