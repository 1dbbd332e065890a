import Foundation
import HubConnectors
import HubCore
import HubSync
import HubTestSupport
import XCTest

/// Incremental pulls of Shopify and Plaid after the sandbox's admin API changes, adds and deletes
/// objects: exactly those changes, through each provider's own incremental mechanism.
final class IncrementalPullTests: XCTestCase {
    func testShopifyUpdatesAndAdditionsArriveIncrementallyAndAFullResyncSweepsDeletions() async throws {
        try await SyncHarness.run(volume: 25) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectShopify(organization: org)
            let fields = ["shop_domain": SyncHarness.shop, "access_token": "shpat_sandbox"]
            try await harness.withWorkers(1) {
                _ = try await harness.sync(token, connection: connection, entity: "products")
                let before = try await harness.directListing(provider: "shopify", fields: fields, entity: "products")
                let ids = before.keys.sorted()
                let admin = "/_admin/shopify/shops/\(SyncHarness.shop)/products"
                // Shopify's updated_at has whole seconds: let the listing's checkpoint second pass.
                try await Task.sleep(for: .milliseconds(1100))
                let changed = try await harness.sandbox.send(.PUT, "\(admin)/\(ids[0])", json: #"{"title":"Renamed product"}"#)
                XCTAssertLessThan(changed.status, 300, changed.text)
                let added = try await harness.sandbox.send(.POST, admin, json: #"{"title":"Brand new"}"#)
                XCTAssertLessThan(added.status, 300, added.text)

                let incremental = try await harness.sync(token, connection: connection, entity: "products")
                XCTAssertEqual(incremental["counts"]?["created"]?.intValue, 1, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["updated"]?.intValue, 1, "\(incremental)")
                var expected = try await harness.directListing(provider: "shopify", fields: fields, entity: "products")
                var stored = try await harness.storedRecords(connection: connection, entity: "products")
                XCTAssertEqual(stored, expected)

                // Shopify's listing does not report deletions: a full resync's sweep does.
                let deleted = try await harness.sandbox.send(.DELETE, "\(admin)/\(ids[1])")
                XCTAssertLessThan(deleted.status, 300, deleted.text)
                let resync = try await harness.sync(token, connection: connection, entity: "products", fullResync: true)
                XCTAssertEqual(resync["counts"]?["deleted"]?.intValue, 1, "\(resync)")
                XCTAssertEqual(resync["counts"]?["created"]?.intValue, 0, "\(resync)")
                // What the resync saw was noted apart from the records, and is gone with its sweep.
                let seen = try await harness.seenMarkCount()
                XCTAssertEqual(seen, 0, "the sweep left its seen marks behind")
                expected = try await harness.directListing(provider: "shopify", fields: fields, entity: "products")
                stored = try await harness.storedRecords(connection: connection, entity: "products")
                XCTAssertEqual(stored, expected)
            }
        }
    }

    /// A webhook's state newer than the provider's listing (applied while a page was fetched)
    /// is not overwritten by the pull: the record counts as skipped and keeps the newer state.
    func testAFullResyncKeepsANewerStateAWebhookStored() async throws {
        try await SyncHarness.run(volume: 5) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectShopify(organization: org)
            try await harness.withWorkers(1) {
                _ = try await harness.sync(token, connection: connection, entity: "products")
                let listed = try await harness.storedRecords(connection: connection, entity: "products")
                let id = try XCTUnwrap(listed.keys.sorted().first)
                guard case .object(var fields) = listed[id] else { return XCTFail("product \(id) is not an object") }
                fields["title"] = "Renamed by a webhook"
                fields["updated_at"] = "2099-01-01T00:00:00Z"
                let postgres = harness.hub.dependencies.postgres
                let scope = RecordStore.Scope(
                    organization: org,
                    connection: try XCTUnwrap(UUID(uuidString: connection)),
                    entity: "products",
                    seenJob: nil,
                    conflictPolicy: .remoteWins
                )
                let newer = ProviderRecord(externalID: id, updatedAt: Date(timeIntervalSince1970: 4_070_908_800), payload: .object(fields))
                let applied = try await postgres.withTransaction(logger: harness.logger) { db in
                    try await RecordStore(client: postgres, logger: harness.logger).applyWebhook(
                        PreparedRecord(newer, mapping: try XCTUnwrap(ShopifyConnector.defaultFieldMappings["products"])),
                        scope: scope,
                        on: db
                    )
                }
                XCTAssertEqual(applied?.count(.updated), 1)

                let resync = try await harness.sync(token, connection: connection, entity: "products", fullResync: true)
                XCTAssertEqual(resync["counts"]?["updated"]?.intValue, 0, "\(resync)")
                XCTAssertEqual(resync["counts"]?["skipped"]?.intValue, 5, "\(resync)")
                XCTAssertEqual(resync["counts"]?["deleted"]?.intValue, 0, "\(resync)")
                let stored = try await harness.storedRecords(connection: connection, entity: "products")
                XCTAssertEqual(stored[id]?["title"]?.stringValue, "Renamed by a webhook")
                XCTAssertEqual(Set(stored.keys), Set(listed.keys))
            }
        }
    }

    func testPlaidAddedModifiedAndRemovedTransactionsArriveIncrementally() async throws {
        try await SyncHarness.run(volume: 30) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let (connection, item, fields) = try await harness.connectPlaid(organization: org)
            try await harness.withWorkers(1) {
                _ = try await harness.sync(token, connection: connection, entity: "bank_transactions")
                let ids = try await harness.storedRecords(connection: connection, entity: "bank_transactions").keys.sorted()
                let admin = "/_admin/plaid/items/\(item)/transactions"
                _ = try await harness.sandbox.send(.PUT, "\(admin)/\(ids[0])", json: #"{"amount":99.5,"name":"CORRECTED"}"#)
                _ = try await harness.sandbox.send(.DELETE, "\(admin)/\(ids[1])")
                _ = try await harness.sandbox.send(
                    .POST,
                    admin,
                    json: #"{"transactions":[{"amount":4.25,"name":"NEW COFFEE"},{"amount":1,"name":"GUM"}]}"#
                )

                let incremental = try await harness.sync(token, connection: connection, entity: "bank_transactions")
                XCTAssertEqual(incremental["counts"]?["created"]?.intValue, 2, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["updated"]?.intValue, 1, "\(incremental)")
                XCTAssertEqual(incremental["counts"]?["deleted"]?.intValue, 1, "\(incremental)")
                let expected = try await harness.directListing(provider: "plaid", fields: fields, entity: "bank_transactions")
                let stored = try await harness.storedRecords(connection: connection, entity: "bank_transactions")
                XCTAssertEqual(Set(stored.keys), Set(expected.keys))
                XCTAssertEqual(stored[ids[0]]?["name"]?.stringValue, "CORRECTED")
                XCTAssertNil(stored[ids[1]])
            }
        }
    }
}
