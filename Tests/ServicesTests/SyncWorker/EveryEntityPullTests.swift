import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import XCTest

/// A full pull of every readable entity of Stripe, Shopify and Plaid stores exactly what the
/// provider lists: the same ids, the same payloads, no duplicates.
final class EveryEntityPullTests: XCTestCase {
    func testEveryReadableEntityOfStripeShopifyAndPlaidPullsExactly() async throws {
        try await SyncHarness.run(volume: 12) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let plaid = try await harness.connectPlaid(organization: org)
            let targets: [(provider: String, connection: String, fields: [String: String])] = [
                ("stripe", try await harness.connectStripe(token), ["api_key": "sk_test_sandbox"]),
                ("shopify", try await harness.connectShopify(organization: org), ["shop_domain": SyncHarness.shop, "access_token": "shpat_sandbox"]),
                ("plaid", plaid.connection, plaid.fields),
            ]
            try await harness.withWorkers(1) {
                for target in targets {
                    let definition = try XCTUnwrap(ConnectorRegistry.standard.definition(id: target.provider))
                    for entity in definition.entities where entity.operations.contains(.read) {
                        let done = try await harness.sync(token, connection: target.connection, entity: entity.name)
                        let expected = try await harness.directListing(provider: target.provider, fields: target.fields, entity: entity.name)
                        let stored = try await harness.storedRecords(connection: target.connection, entity: entity.name)
                        let label = "\(target.provider) \(entity.name)"
                        // The sandbox seeds no fulfillments (they are made by fulfilling orders).
                        if entity.name != "fulfillments" { XCTAssertFalse(expected.isEmpty, "\(label): the sandbox lists nothing to compare") }
                        XCTAssertEqual(Set(stored.keys), Set(expected.keys), label)
                        for (id, payload) in expected where stored[id] != payload {
                            XCTFail("\(label) \(id): stored \(String(describing: stored[id])) but the provider lists \(payload)")
                        }
                        XCTAssertEqual(done["counts"]?["created"]?.intValue, expected.count, "\(label): \(done)")
                        XCTAssertEqual(done["counts"]?["errors"]?.intValue, 0, "\(label): the default mapping complained: \(done)")
                    }
                }
            }
        }
    }
}
