import Foundation
import HubCore
import ProviderSandbox
import Testing

@testable import HubConnectors

/// The Salesforce connector's batch push against the sandbox: creates upsert on
/// `Hub_External_Id__c` (the same batch sent twice makes each record once), an order lacking its
/// effective date and status gets today and `Draft`, and a refused record is its own outcome.
@Suite struct SalesforceBatchPushTests {
    @Test func ordersGetTheirDefaultsARefusedOneIsItsOwnOutcomeAndARepeatMakesNoDuplicate() async throws {
        try await SalesforceSandboxHarness.run(volume: 3) { harness in
            let connector = harness.connector()
            let account = SalesforceProvider.seededID("Account", 1)
            let writes = [
                BatchWrite(externalKey: "hub-order-1", fields: ["AccountId": .string(account), "Description": "First"]),
                BatchWrite(externalKey: "hub-order-2", fields: ["Description": "No account"]),
                BatchWrite(
                    externalKey: "hub-order-3",
                    fields: ["AccountId": .string(account), "Status": "Activated", "EffectiveDate": "2026-01-02"]
                ),
            ]
            let first = try await connector.push("orders", .create, writes)
            #expect(first.count == 3)
            let made = try #require(try first[0].get())
            #expect(made.payload["Status"]?.stringValue == "Draft")
            let today = try #require(ISOTimestamp.dateString(unix: Date().timeIntervalSince1970))
            #expect(made.payload["EffectiveDate"]?.stringValue == today)
            guard case .failure(.validation(let message, _)) = first[1] else {
                Issue.record("the order without an account is refused on its own: \(first[1])")
                return
            }
            #expect(message == "Required fields are missing: [AccountId]")
            let kept = try #require(try first[2].get())
            #expect(kept.payload["Status"]?.stringValue == "Activated")
            #expect(kept.payload["EffectiveDate"]?.stringValue == "2026-01-02")

            let again = try await connector.push("orders", .create, writes)
            #expect(try again[0].get()?.externalID == made.externalID, "the same order, upserted on its external id")
            #expect(try again[2].get()?.externalID == kept.externalID)
            let orders = try await harness.listAll(connector, "orders").records
            #expect(orders.count == 5, "three seeded, two made")

            let updated = try await connector.push(
                "orders",
                .update,
                [BatchWrite(id: made.externalID, externalKey: "hub-order-1", fields: ["Description": "Edited"])]
            )
            #expect(try updated[0].get()?.payload["Description"]?.stringValue == "Edited")
            let deleted = try await connector.push("orders", .delete, [BatchWrite(id: kept.externalID, externalKey: "hub-order-3")])
            let gone: Bool = if case .success(nil) = deleted[0] { true } else { false }
            #expect(gone, "\(deleted)")
            let left = try await harness.listAll(connector, "orders").records.count
            #expect(left == 4)
        }
    }
}
