import Foundation
import HubCore
import ProviderSandbox
import Testing

@testable import HubConnectors

/// The Salesforce connector against the sandbox: SOQL listings with `nextRecordsUrl`, incremental
/// listings that pick up changes and deletions, writes through sObject Collections that a retry
/// cannot duplicate, and Salesforce's errors classified.
@Suite struct SalesforceConnectorTests {
    @Test func listsEveryEntityInBatchesWithLineItemsAndMapsThem() async throws {
        try await SalesforceSandboxHarness.run(volume: 450) { harness in
            let connector = harness.connector()
            for definition in SalesforceConnector.definition.entities {
                let listed = try await harness.listAll(connector, definition.name, pageSize: 10)
                // Batches are held to Salesforce's smallest, 200.
                #expect(listed.records.count == 450, "\(definition.name)")
                #expect(Set(listed.records.map(\.externalID)).count == 450, "\(definition.name)")
                #expect(listed.pages == 3, "\(definition.name)")
                #expect(listed.checkpoint?.hasPrefix("sf1:") == true)
                #expect(listed.records.allSatisfy { $0.updatedAt != nil && $0.payload["attributes"] == nil })
                let mapping = try #require(SalesforceConnector.defaultFieldMappings[definition.name])
                try mapping.validate(entity: definition.name)
                let mapped = mapping.map(try #require(listed.records.first).payload)
                #expect(mapped.errors.isEmpty, "\(definition.name): \(mapped.errors)")
                let canonical = try #require(CanonicalSchema.entity(definition.name))
                for field in canonical.fields where field.required {
                    #expect(mapped.canonical[field.name].map { $0 != .null } == true, "\(definition.name): required '\(field.name)'")
                }
                // What a push sends back is only what Salesforce lets a client write.
                let pushed = Set(mapping.unmap(mapped.canonical).objectValue?.keys.map { $0 } ?? [])
                #expect(pushed.isSubset(of: Set(definition.fields.filter { !$0.readOnly }.map(\.name))), "\(definition.name): \(pushed)")
            }
            let opportunity = try await connector.get("opportunities", id: SalesforceProvider.seededID("Opportunity", 1))
            let lines = try #require(opportunity.payload["OpportunityLineItems"]?["records"]?.arrayValue)
            #expect(lines.count == 1)
            // Seeded line 1: quantity 2 at 11.00.
            let mapped = SalesforceMappings.opportunities.map(opportunity.payload)
            let line = try #require(mapped.canonical["line_items"]?.arrayValue?.first)
            #expect(line["quantity"]?.numberValue == 2)
            #expect(line["unit_amount"]?.numberValue == 1100)
            #expect(line["amount"]?.numberValue == 2200)
            #expect(line["product_id"]?.stringValue == SalesforceProvider.seededID("Product2", 1))
            // Seeded contact role 1: contact 1 on opportunity 1.
            #expect(mapped.canonical["contact_ids"] == [.string(SalesforceProvider.seededID("Contact", 1))], "\(mapped.canonical)")
            let roles = try #require(opportunity.payload["OpportunityContactRoles"]?["records"]?.arrayValue)
            #expect(roles.count == 1 && roles[0]["attributes"] == nil && roles[0]["ContactId"] != nil, "\(roles)")
            let contact = try await connector.get("contacts", id: SalesforceProvider.seededID("Contact", 3))
            #expect(
                SalesforceMappings.contacts.map(contact.payload).canonical["customer_id"]?.stringValue == SalesforceProvider.seededID("Account", 3)
            )
        }
    }

    @Test func resumesAListingFromItsStoredCursorInAnotherConnector() async throws {
        try await SalesforceSandboxHarness.run(volume: 500) { harness in
            let first = try await harness.connector().list(ListRequest(entity: "customers", pageSize: 200))
            #expect(first.records.count == 200)
            let cursor = try #require(first.nextCursor)
            let rest = try await harness.connector().list(ListRequest(entity: "customers", cursor: cursor, pageSize: 200))
            let last = try await harness.connector().list(ListRequest(entity: "customers", cursor: try #require(rest.nextCursor), pageSize: 200))
            #expect(last.records.count == 100)
            #expect(last.nextCursor == nil)
            #expect(Set((first.records + rest.records + last.records).map(\.externalID)).count == 500)
        }
    }

    @Test func anIncrementalListingReadsChangesAndDeletionsOnly() async throws {
        try await SalesforceSandboxHarness.run(volume: 300) { harness in
            let connector = harness.connector()
            let full = try await harness.listAll(connector, "customers")
            let checkpoint = try #require(full.checkpoint)
            let edited = SalesforceProvider.seededID("Account", 7)
            let removed = SalesforceProvider.seededID("Account", 8)
            _ = try await connector.update("customers", id: edited, fields: ["Phone": "(555) 999-0000"], idempotencyKey: nil)
            try await connector.delete("customers", id: removed)
            let added = try await connector.create("customers", fields: ["Name": "Added Co"], idempotencyKey: nil)

            let changes = try await harness.listAll(connector, "customers", since: checkpoint)
            #expect(Set(changes.records.map(\.externalID)) == [edited, added.externalID])
            #expect(changes.deleted == [removed])
            #expect(changes.records.first { $0.externalID == edited }?.payload["Phone"]?.stringValue == "(555) 999-0000")
            let next = try #require(changes.checkpoint)
            #expect(try SalesforceListCursor.checkpoint(decoding: next) >= SalesforceListCursor.checkpoint(decoding: checkpoint))
        }
    }

    /// Its pages say they relist everything (the caller then takes what they do not name as
    /// deleted), the resumed page too; a first full listing's pages do not.
    @Test func aCheckpointOlderThanTheDeletionLogFallsBackToAFullListing() async throws {
        try await SalesforceSandboxHarness.run(volume: 250) { harness in
            let old = SalesforceListCursor.checkpoint(SalesforceConnector.nowMilliseconds - 16 * 86_400_000)
            let listed = try await harness.listAll(harness.connector(), "products", since: old)
            #expect(listed.records.count == 250)
            #expect(listed.deleted.isEmpty)
            let first = try await harness.connector().list(ListRequest(entity: "products", since: old, pageSize: 200))
            #expect(first.isFullRelisting)
            let cursor = try #require(first.nextCursor)
            #expect(cursor.hasPrefix("sf1:relist:"))
            let rest = try await harness.connector().list(ListRequest(entity: "products", cursor: cursor, pageSize: 200))
            #expect(rest.isFullRelisting && rest.nextCursor == nil && rest.records.count == 50)
            let plain = try await harness.connector().list(ListRequest(entity: "products", pageSize: 200))
            #expect(!plain.isFullRelisting)
            let recent = try await harness.connector().list(ListRequest(entity: "products", since: try #require(listed.checkpoint)))
            #expect(!recent.isFullRelisting)
        }
    }

    /// An administrator emptied the Recycle Bin after the checkpoint: `/deleted` no longer reaches
    /// back to it (`earliestDateAvailable` is later), so the listing relists everything.
    @Test func anEmptiedRecycleBinAlsoFallsBackToAFullListing() async throws {
        try await SalesforceSandboxHarness.run(volume: 20) { harness in
            let connector = harness.connector()
            let checkpoint = try #require(try await harness.listAll(connector, "products").checkpoint)
            let unaffected = try await connector.list(ListRequest(entity: "products", since: checkpoint))
            #expect(!unaffected.isFullRelisting && unaffected.records.isEmpty)
            try await connector.delete("products", id: SalesforceProvider.seededID("Product2", 3))
            let path = "/_admin/salesforce/orgs/\(SalesforceProvider.seededOrgID)/recycle-bin"
            #expect(try await harness.request(.DELETE, path, headers: [:]).status == 204)
            let window = "start=\(Date().addingTimeInterval(-86_400).formatted(.iso8601))&end=\(Date().addingTimeInterval(60).formatted(.iso8601))"
            let log = try await harness.request(.GET, SalesforceSandboxHarness.api("sobjects/Product2/deleted/?\(window)"))
            let answer = JSONReader.parse(Array(log.body.utf8))
            #expect(answer?["deletedRecords"]?.arrayValue?.isEmpty == true, "the log was emptied: \(log.body)")
            #expect(answer?["earliestDateAvailable"] != nil)

            let relisted = try await connector.list(ListRequest(entity: "products", since: checkpoint))
            #expect(relisted.isFullRelisting)
            #expect(relisted.records.count == 19)
            #expect(relisted.deletedIDs.isEmpty)
        }
    }

    @Test func aRetriedCreateUpsertsTheSameRecordAndARefusedOneSaysWhy() async throws {
        try await SalesforceSandboxHarness.run(volume: 5) { harness in
            let connector = harness.connector()
            let fields: JSONValue = ["LastName": "Retried", "Email": "retried@example.com"]
            let first = try await connector.create("contacts", fields: fields, idempotencyKey: "hub-key-1")
            let again = try await connector.create("contacts", fields: fields, idempotencyKey: "hub-key-1")
            #expect(first.externalID == again.externalID)
            let all = try await harness.listAll(connector, "contacts")
            #expect(all.records.count == 6)
            #expect(all.records.filter { $0.payload["LastName"]?.stringValue == "Retried" }.count == 1)

            let edited = try await connector.update("contacts", id: first.externalID, fields: ["Title": "CFO"], idempotencyKey: "hub-key-2")
            #expect(edited.payload["Title"]?.stringValue == "CFO")

            await #expect(throws: ConnectorError.validation(message: "Required fields are missing: [LastName]", field: "LastName")) {
                try await connector.create("contacts", fields: ["FirstName": "Nameless"], idempotencyKey: "hub-key-3")
            }
            await #expect(throws: ConnectorError.self) {
                try await connector.get("contacts", id: "003Hb0000000000ZZZ")
            }
        }
    }

    @Test func anExpiredSessionAndAUsedUpAllowanceAreClassified() async throws {
        try await SalesforceSandboxHarness.run(volume: 5) { harness in
            await #expect(throws: ConnectorError.authenticationFailed("INVALID_SESSION_ID: Session expired or invalid")) {
                try await harness.connector(token: "00Dexpired!token").list(ListRequest(entity: "customers"))
            }
            let set = try await harness.request(.PUT, "/_admin/salesforce/limits", json: #"{"daily_api_requests":2}"#, headers: [:])
            #expect(set.status == 200)
            let first = try await harness.request(.GET, SalesforceSandboxHarness.api("sobjects/Account/\(SalesforceProvider.seededID("Account", 0))"))
            #expect(first.status == 200)
            #expect(first.headers.first(name: "Sforce-Limit-Info") == "api-usage=1/2")
            _ = try await harness.connector().get("customers", id: SalesforceProvider.seededID("Account", 0))
            await #expect(throws: ConnectorError.rateLimited(retryAfter: SalesforceErrorMapper.allowanceWait)) {
                try await harness.connector().list(ListRequest(entity: "customers"))
            }
            let refused = try await harness.request(.GET, SalesforceSandboxHarness.api("query?q=SELECT+Id+FROM+Account"))
            #expect(refused.status == 403)
            #expect(refused.body.contains(#""errorCode":"REQUEST_LIMIT_EXCEEDED""#))
            #expect(refused.headers.first(name: "Sforce-Limit-Info") == "api-usage=2/2")
        }
    }
}
