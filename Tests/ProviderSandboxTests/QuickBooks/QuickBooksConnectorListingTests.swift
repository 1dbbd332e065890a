import Foundation
import HubConnectors
import HubCore
import Testing

/// Full listings through the query language, incremental ones through change data capture, and
/// the fall back to a full listing when a checkpoint is older than Intuit's 30 days of changes.
@Suite struct QuickBooksConnectorListingTests {
    @Test func fullListingReadsEveryInvoiceOnceInPagesOfAThousand() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Invoice": 2_500])
            let connector = harness.connector(company)
            let listing = try await harness.listAll(connector, "invoices", pageSize: 1_000)
            #expect(listing.records.count == 2_500)
            #expect(Set(listing.records.map(\.externalID)).count == 2_500)
            #expect(listing.pages == 3)
            #expect(listing.deleted.isEmpty)
            let checkpoint = try #require(listing.checkpoint)
            #expect(checkpoint.hasPrefix("qbo1:"))
            let first = try #require(listing.records.first)
            #expect(first.externalID == "1")
            #expect(first.payload["Line"]?.arrayValue?.isEmpty == false)
            #expect(first.updatedAt != nil)
        }
    }

    @Test func nameListsIncludeInactiveObjects() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Customer": 12])
            let connector = harness.connector(company)
            _ = try await connector.update("customers", id: "3", fields: ["Active": false], idempotencyKey: nil)
            let listing = try await harness.listAll(connector, "customers", pageSize: 5)
            #expect(listing.records.count == 12)
            #expect(listing.pages == 3)
            let inactive = listing.records.first { $0.externalID == "3" }
            #expect(inactive?.payload["Active"] == .bool(false))
            // The hub's record says so: a customer is never deleted in QuickBooks, only made inactive.
            let mapping = try #require(QuickBooksConnector.defaultFieldMappings["customers"])
            #expect(mapping.map(try #require(inactive).payload).canonical["active"] == .bool(false))
            #expect(mapping.map(try #require(listing.records.first { $0.externalID == "4" }).payload).canonical["active"] == .bool(true))
            // The query language itself hides inactive customers unless asked.
            let count = try await harness.api(.GET, company, "query?query=select%20count(*)%20from%20Customer")
            #expect(count.body["QueryResponse"]?["totalCount"] == .number(11))
        }
    }

    @Test func incrementalListingReadsChangesAndDeletionsFromChangeDataCapture() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Invoice": 30, "Customer": 5])
            let connector = harness.connector(company)
            let full = try await harness.listAll(connector, "invoices", pageSize: 100)
            #expect(full.records.count == 30)
            let checkpoint = try #require(full.checkpoint)

            let unchanged = try await harness.listAll(connector, "invoices", pageSize: 100, since: checkpoint)
            #expect(unchanged.records.isEmpty)
            #expect(unchanged.deleted.isEmpty)

            _ = try await connector.update("invoices", id: "5", fields: ["PrivateNote": "changed"], idempotencyKey: nil)
            try await connector.delete("invoices", id: "7")
            let created = try await connector.create(
                "invoices",
                fields: [
                    "CustomerRef": ["value": "2"],
                    "Line": [["Amount": .number(120.5), "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": ["ItemRef": ["value": "1"]]]],
                ],
                idempotencyKey: nil
            )
            #expect(created.externalID == "31")
            #expect(created.payload["TotalAmt"] == .number(120.5))

            let changes = try await harness.listAll(connector, "invoices", pageSize: 100, since: checkpoint)
            #expect(Set(changes.records.map(\.externalID)) == ["5", "31"])
            #expect(changes.records.first { $0.externalID == "5" }?.payload["PrivateNote"] == .string("changed"))
            #expect(changes.deleted == ["7"])
            #expect(changes.checkpoint != nil)
            let after = try await harness.listAll(connector, "invoices", pageSize: 100)
            #expect(after.records.count == 30)
            #expect(!after.records.contains { $0.externalID == "7" })
        }
    }

    /// One CDC answer holds at most 1,000 objects: the listing continues from the newest change
    /// it held until every change was read.
    @Test func moreThanAThousandChangesAreReadAcrossAnswers() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Customer": 1_300])
            let connector = harness.connector(company)
            let checkpoint = try #require(try await harness.listAll(connector, "customers", pageSize: 1_000).checkpoint)
            try await harness.request(.PUT, "/_admin/quickbooks/throttle", json: #"{"enabled": false}"#)
            for id in 1...1_200 {
                _ = try await harness.api(.POST, company, "customer", json: #"{"Id":"\#(id)","SyncToken":"0","sparse":true,"Notes":"n"}"#)
            }
            let changes = try await harness.listAll(connector, "customers", pageSize: 1_000, since: checkpoint)
            #expect(changes.pages >= 2)
            let changed = Set(changes.records.filter { $0.payload["Notes"] == .string("n") }.map(\.externalID))
            #expect(changed == Set((1...1_200).map(String.init)))
        }
    }

    @Test func checkpointOlderThanThirtyDaysFallsBackToAFullListing() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Bill": 40])
            let connector = harness.connector(company)
            let old = Int(Date().timeIntervalSince1970) - 31 * 86_400
            let listing = try await harness.listAll(connector, "bills", pageSize: 25, since: "qbo1:\(old)")
            #expect(listing.records.count == 40)
            #expect(listing.pages == 2)
            let checkpoint = try #require(listing.checkpoint)
            #expect(checkpoint != "qbo1:\(old)")
            // Change data capture itself refuses a window longer than 30 days.
            let stamp = Date(timeIntervalSince1970: TimeInterval(old)).formatted(.iso8601)
            let refused = try await harness.api(.GET, company, "cdc?entities=Bill&changedSince=\(stamp)")
            #expect(refused.status == 400)
            #expect(refused.body["Fault"]?["type"] == .string("ValidationFault"))
        }
    }

    @Test func everyEntityLists() async throws {
        try await QuickBooksSandboxHarness.run(volume: 7) { harness in
            let company = try await harness.company()
            let connector = harness.connector(company)
            for definition in QuickBooksConnector.definition.entities {
                let listing = try await harness.listAll(connector, definition.name, pageSize: 1_000)
                #expect(listing.records.count == (definition.name == "tax_rates" ? 4 : 7), "\(definition.name)")
                let mapping = try #require(QuickBooksConnector.defaultFieldMappings[definition.name])
                #expect(throws: Never.self) { try mapping.validate(entity: definition.name) }
                let canonical = try #require(CanonicalSchema.entity(definition.name))
                let writable = Set(definition.fields.filter { !$0.readOnly }.map { String($0.name.split(separator: ".")[0]) })
                for record in listing.records {
                    let mapped = mapping.map(record.payload)
                    #expect(mapped.errors.isEmpty, "\(definition.name) \(record.externalID): \(mapped.errors)")
                    #expect(mapped.canonical["id"] == .string(record.externalID))
                    for field in canonical.fields where field.required {
                        #expect(mapped.canonical[field.name] != nil && mapped.canonical[field.name] != .null, "\(definition.name).\(field.name)")
                    }
                    // What a push would send back is what QuickBooks lets a client write.
                    let pushed = Set(mapping.unmap(mapped.canonical).objectValue?.keys.map { $0 } ?? [])
                    #expect(pushed.subtracting(writable).isEmpty, "\(definition.name) pushes \(pushed.subtracting(writable))")
                }
            }
        }
    }
}
