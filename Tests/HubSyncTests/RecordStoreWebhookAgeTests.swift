import Foundation
import HubConnectors
import HubCore
import HubSync
import Testing

/// A record's remote update time survives a pull that reports none (Stripe's customer listing
/// has no `updated`), against a real PostgreSQL: a stale webhook retried afterwards is still
/// seen as older than what the store holds.
@Suite struct RecordStoreWebhookAgeTests {
    static func customer(_ name: String, at time: Date?) -> PreparedRecord {
        let payload: JSONValue = ["id": "cus_1", "object": "customer", "name": .string(name), "email": "cus_1@example.com"]
        return PreparedRecord(ProviderRecord(externalID: "cus_1", updatedAt: time, payload: payload), mapping: RecordStoreFirstImportTests.mapping)
    }

    @Test func aPullWithoutTimesKeepsTheStoredTimeForLaterWebhooks() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            let webhookTime = Date(timeIntervalSince1970: 1_800_000_000)
            let applied = try await client.withTransaction(logger: logger) { db in
                try await records.applyWebhook(Self.customer("Ada", at: webhookTime), scope: scope, on: db)
            }
            #expect(applied?.changes.map(\.kind) == [.created])
            let pulled = try await client.withTransaction(logger: logger) { db in
                try await records.applyPull([Self.customer("Ada Pulled", at: nil)], deletedIDs: [], scope: scope, keepingNewer: true, on: db)
            }
            #expect(pulled.changes.map(\.kind) == [.updated])

            // A retry of an event older than the first: the store's state is newer.
            let stale = try await client.withTransaction(logger: logger) { db in
                try await records.applyWebhook(Self.customer("Ada Stale", at: webhookTime - 60), scope: scope, on: db)
            }
            #expect(stale == nil, "a stale webhook was applied over a later pull")
            let stored = try await StripeCustomerStore.stored(records, scope)
            #expect(stored.first?.fields["name"] == "Ada Pulled")
            #expect(stored.first?.remoteUpdatedAt == webhookTime)

            // A newer event still applies.
            let newer = try await client.withTransaction(logger: logger) { db in
                try await records.applyWebhook(Self.customer("Ada Newer", at: webhookTime + 60), scope: scope, on: db)
            }
            #expect(newer?.changes.map(\.kind) == [.updated])
        }
    }
}
