import Foundation
import HubConnectors
import HubCore
import Testing

/// Creates and updates with `SyncToken` concurrency, Intuit's faults as typed errors, `requestid`
/// idempotency and the per-realm throttle.
@Suite struct QuickBooksConnectorWriteTests {
    @Test func createThenUpdateCarriesTheSyncToken() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Customer": 3])
            let connector = harness.connector(company)
            let created = try await connector.create(
                "customers",
                fields: ["DisplayName": "Ada Lovelace", "PrimaryEmailAddr": ["Address": "ada@example.com"]],
                idempotencyKey: nil
            )
            #expect(created.externalID == "4")
            #expect(created.payload["SyncToken"] == .string("0"))
            #expect(created.payload["Active"] == .bool(true))

            let updated = try await connector.update("customers", id: "4", fields: ["GivenName": "Ada"], idempotencyKey: nil)
            #expect(updated.payload["SyncToken"] == .string("1"))
            #expect(updated.payload["GivenName"] == .string("Ada"))
            // The update was sparse: what it did not name is kept.
            #expect(updated.payload["DisplayName"] == .string("Ada Lovelace"))
            let read = try await connector.get("customers", id: "4")
            #expect(read.payload["GivenName"] == .string("Ada"))
            #expect(read.updatedAt != nil)
        }
    }

    @Test func staleSyncTokenIsAConflictAndChangesNothing() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Invoice": 3])
            let connector = harness.connector(company)
            _ = try await connector.update("invoices", id: "2", fields: ["PrivateNote": "first"], idempotencyKey: nil)
            do {
                _ = try await connector.update("invoices", id: "2", fields: ["SyncToken": "0", "PrivateNote": "lost?"], idempotencyKey: nil)
                Issue.record("an update with a stale SyncToken was applied")
            } catch let error as ConnectorError {
                guard case .conflict(let message) = error else { throw error }
                #expect(message.hasPrefix("Stale Object Error"))
            }
            let read = try await connector.get("invoices", id: "2")
            #expect(read.payload["PrivateNote"] == .string("first"))
            #expect(read.payload["SyncToken"] == .string("1"))
        }
    }

    @Test func validationFaultsBecomeValidationErrorsWithIntuitsMessage() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Customer": 3])
            let connector = harness.connector(company)
            do {
                _ = try await connector.create("invoices", fields: ["CustomerRef": ["value": "1"]], idempotencyKey: nil)
                Issue.record("an invoice without lines was created")
            } catch let error as ConnectorError {
                guard case .validation(let message, let field) = error else { throw error }
                #expect(message.contains("Required parameter Line is missing"))
                #expect(field == "Line")
            }
            do {
                _ = try await connector.create(
                    "invoices",
                    fields: ["CustomerRef": ["value": "999"], "Line": [["Amount": 5, "DetailType": "SalesItemLineDetail"]]],
                    idempotencyKey: nil
                )
                Issue.record("an invoice for a customer that does not exist was created")
            } catch let error as ConnectorError {
                guard case .validation(let message, let field) = error else { throw error }
                #expect(message.hasPrefix("Invalid Reference Id"))
                #expect(field == "CustomerRef")
            }
            await #expect(throws: ConnectorError.notFound(entity: "invoices", id: "424242")) {
                try await connector.get("invoices", id: "424242")
            }
            await #expect(throws: ConnectorError.self) {
                try await connector.delete("customers", id: "1")
            }
        }
    }

    @Test func retriedCreateWithTheSameKeyCreatesOnce() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Item": 2])
            let connector = harness.connector(company)
            let fields: JSONValue = ["Name": "Widget", "Type": "Service", "UnitPrice": .number(12.5), "IncomeAccountRef": ["value": "1"]]
            let first = try await connector.create("products", fields: fields, idempotencyKey: "hub-abc-1")
            let again = try await connector.create("products", fields: fields, idempotencyKey: "hub-abc-1")
            #expect(first.externalID == again.externalID)
            let count = try await harness.api(.GET, company, "query?query=select%20count(*)%20from%20Item")
            #expect(count.body["QueryResponse"]?["totalCount"] == .number(3))
        }
    }

    @Test func throttledCallsAreRateLimitedWithIntuitsWait() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            let company = try await harness.company(["Customer": 3])
            let connector = harness.connector(company, retry: .none)
            try await harness.request(.PUT, "/_admin/quickbooks/throttle", json: #"{"per_minute": 2}"#)
            _ = try await connector.get("customers", id: "1")
            _ = try await connector.get("customers", id: "2")
            do {
                _ = try await connector.get("customers", id: "3")
                Issue.record("the third call of a two-a-minute realm was answered")
            } catch let error as ConnectorError {
                guard case .rateLimited(let wait?) = error else { throw error }
                #expect(wait > .zero && wait <= .seconds(61))
            }
            // Other realms have their own minute.
            let other = try await harness.company(["Customer": 1])
            _ = try await harness.connector(other, retry: .none).get("customers", id: "1")
            let raw = try await harness.api(.GET, company, "customer/1")
            #expect(raw.status == 429)
            // Each refusal is counted against its realm, for benchmarks to read.
            let (status, body, _) = try await harness.request(.GET, "/_admin/quickbooks/throttle/rejections")
            let counts = JSONReader.parse(Array(body.utf8))
            #expect(status == 200)
            #expect(counts?["realms"]?[company.realm]?.intValue == 2)
            #expect(counts?["realms"]?[other.realm] == nil)
            #expect(counts?["total"]?.intValue == 2)
        }
    }
}
