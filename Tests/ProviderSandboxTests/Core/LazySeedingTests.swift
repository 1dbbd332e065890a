import Crypto
import Foundation
import HubConnectors
import HubCore
import XCTest

@testable import ProviderSandbox

/// Seeded data is generated when read, record by record, from the seed and the record's index.
/// These pin it to what seeding every record up front gave (the digests are of the pages the
/// eager seeding served, volume 30, seed 42), and check the shortcuts (ids, filter values,
/// owners) against the generated records.
final class LazySeedingTests: XCTestCase {
    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Stripe

    func testStripePagesAreThoseTheEagerSeedingServed() throws {
        let expected: [StripeResource: String] = [
            .customers: "2abaddad5da7e7f5eca6f524c76f1ee32f612943813ee59c0fdfa5a25820dff2",
            .products: "0bbaf74a7bee06d8b898a4194fc17f9d875aaa17d3de34dac92d59b9c911899e",
            .prices: "d7d3988aeaf5675f3eb35137e75edd62c79f7d836d86692031fe977575efe93a",
            .invoices: "a592f4f26f7cc405468a9596e78c9cba5a1f9dc3bf144188190d9c6a21617d76",
            .paymentIntents: "c3a6f7f65d15fd0aa3d2584ef0850e8ce097f7db8701b88353f08e2323157655",
            .charges: "de50ee593c8bc0f59bcc4473e8d99f278e7666774d3e73025a77cb10c7a7bad8",
            .subscriptions: "1effea47b2d181dcfdeff8bd6d756b2036d07dbef5a947c785f592e076f4428f",
            .payouts: "29cd3bcd66eef6e2f40e8cd21a5eaf6d0568afff092d76f885b15c0718df3b63",
            .balanceTransactions: "fba61f677103b4cb475b2bebf04552451a970203f7b86bcb47766253437b9e08",
        ]
        let store = StripeStore(seed: 42, volume: 30)
        for (resource, digest) in expected {
            XCTAssertEqual(Self.digest(try store.list(resource, params: ["limit": "100"])), digest, resource.path)
        }
    }

    func testStripeIdsAndFilterValuesAgreeWithTheGeneratedObjects() {
        let seed = StripeSeed(seed: 7, volume: 40)
        var net = 0
        for resource in StripeResource.all {
            for index in 0..<seed.count(resource) {
                let object = seed.object(resource, index)
                XCTAssertEqual(seed.id(resource, index), object["id"]?.stringValue, "\(resource.path) \(index)")
                XCTAssertEqual(seed.attributes(resource, index), StripeState.attributes(of: object, for: resource), "\(resource.path) \(index)")
                if resource == .balanceTransactions { net += object["net"]?.integer ?? 0 }
            }
        }
        XCTAssertEqual(seed.balanceAvailable, net)
    }

    func testStripeChangesToSeededObjectsStayInPlace() throws {
        var state = StripeState(seed: 3, volume: 50)
        state.change = .admin(now: 1_800_000_000)
        let ids = try XCTUnwrap(state.collections["customers"]?.idsNewestFirst)
        XCTAssertEqual(ids.count, 50)
        _ = try state.update(.customers, ids[10], params: ["name": "Renamed"])
        _ = try state.delete(.customers, ids[20])
        let created = try state.create(.customers, params: ["name": "New"])
        let after = try XCTUnwrap(state.collections["customers"]?.idsNewestFirst)
        XCTAssertEqual(after, [created["id"]?.stringValue ?? ""] + ids.filter { $0 != ids[20] })
        XCTAssertEqual(state.fields(.customers, ids[10])?["name"], "Renamed")
        XCTAssertNil(state.fields(.customers, ids[20]))
        var query = StripeCollection.Query()
        query.limit = 3
        query.startingAfter = ids[9]
        let page = try XCTUnwrap(state.collections["customers"]?.page(query))
        let names = page.objects.compactMap { JSONReader.parse($0.bytes)?["name"]?.stringValue }
        XCTAssertEqual(names.first, "Renamed")
        XCTAssertEqual(page.objects.count, 3)
    }

    // MARK: Shopify

    func testShopifyPagesAreThoseTheEagerSeedingServed() throws {
        let expected: [(ShopifyResource, String)] = [
            (.products, "ba70e7ca5db1f8295a8d9c4aa410026ef1d60629dcfaea4abed9bf99c792bb3a"),
            (.customers, "da3010a6a3bef841fbb0c37de62fb5f4d9c895f5eb224a26148e77ab4b693cf6"),
            (.orders, "0ce5bf25319955eeea00201fb040cba0c8a8824ed056c10f12927a78a52f5148"),
            (.inventoryLevels, "c49bc89de0315b5942b960cb58e9d595b870124f16a3577f53b9599eaefce732"),
        ]
        let shop = ShopifyShop(domain: "hub-sandbox.myshopify.com", name: "Hub Sandbox", seed: 42, volume: 30)
        let location = try XCTUnwrap(shop[.locations].ids.first)
        for (resource, digest) in expected {
            let page = shop[resource].page(limit: 250) { resource != .inventoryLevels || $0["location_id"]?.int64 == location }
            let body = JSONValue.object([resource.rawValue: .array(page.objects.map(JSONValue.object))]).encoded()
            XCTAssertEqual(Self.digest(body), digest, resource.rawValue)
        }
    }

    func testShopifyLayoutAgreesWithTheGeneratedObjects() throws {
        let shop = ShopifyShop(domain: "shop.myshopify.com", name: "Shop", seed: 11, volume: 25)
        let seed = try XCTUnwrap(shop.seed)
        for resource in [ShopifyResource.products, .customers, .orders, .inventoryLevels, .fulfillmentOrders] {
            let ids = (0..<seed.count(resource)).map { seed.id(resource, $0) }
            XCTAssertEqual(ids, ids.sorted(), resource.rawValue)
            for (index, id) in ids.enumerated() {
                let object = try XCTUnwrap(shop[resource][id], "\(resource.rawValue) \(index)")
                XCTAssertEqual(seed.index(resource, of: id), index)
                if resource != .inventoryLevels { XCTAssertEqual(object["id"]?.int64, id) }
                let updated = object["updated_at"]?.stringValue.flatMap(ShopifyTimestamp.parse)
                XCTAssertEqual(updated, seed.updatedAt(resource, index), "\(resource.rawValue) \(index)")
            }
        }
        for id in (0..<seed.count(.products)).map({ seed.id(.products, $0) }) {
            for variant in shop[.products][id]?["variants"]?.arrayValue ?? [] {
                let item = try XCTUnwrap(variant["inventory_item_id"]?.int64)
                XCTAssertEqual(shop.productID(ofVariant: try XCTUnwrap(variant["id"]?.int64)), id)
                XCTAssertEqual(shop.productID(ofItem: item), id)
                for (location, key) in try XCTUnwrap(shop.levelKeys(ofItem: item)) {
                    XCTAssertEqual(shop[.inventoryLevels][key]?["inventory_item_id"]?.int64, item)
                    XCTAssertEqual(shop[.inventoryLevels][key]?["location_id"]?.int64, location)
                }
            }
        }
        for id in (0..<seed.count(.orders)).map({ seed.id(.orders, $0) }) {
            let fulfillment = try XCTUnwrap(shop.fulfillmentOrderIDs(of: id).first.flatMap { shop[.fulfillmentOrders][$0] })
            XCTAssertEqual(fulfillment["order_id"]?.int64, id)
        }
        for id in (0..<seed.count(.customers)).map({ seed.id(.customers, $0) }) {
            let email = try XCTUnwrap(shop[.customers][id]?["email"]?.stringValue)
            XCTAssertEqual(shop.customerID(email: email), id)
        }
        XCTAssertGreaterThan(shop.nextID, seed.id(.fulfillmentOrders, seed.count(.fulfillmentOrders) - 1))
    }

    // MARK: Plaid

    func testPlaidTransactionsAreThoseTheEagerSeedingMade() throws {
        let store = PlaidStore(seed: 42, volume: 30)
        let token = try store.exchange(store.createPublicToken(institutionID: "ins_109508", webhook: nil)).accessToken
        let lines = try store.withItem(token: token) { item in
            item.changes(in: 0..<item.changeCount).added.map {
                "\($0.transactionID) \($0.accountID) \($0.date) \($0.name) \(String(format: "%.2f", $0.amount))"
            }
        }
        XCTAssertEqual(lines.count, 30)
        XCTAssertEqual(Self.digest(Array(lines.joined(separator: "\n").utf8)), "2fc1fe60f82a6c60adcec2dacea13cb1c6e3d957bb75ed651f540a07147d199a")
    }

    // MARK: Cost

    /// Seeding is independent of the volume: nothing is generated before it is read.
    func testSeedingAMillionRecordsPerEntityIsImmediate() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let stripe = StripeStore(seed: 1, volume: 1_000_000)
            XCTAssertEqual(JSONReader.parse(try stripe.list(.customers, params: ["limit": "1"]))?["data"]?.arrayValue?.count, 1)
            let shop = ShopifyShop(domain: "shop.myshopify.com", name: "Shop", seed: 1, volume: 1_000_000)
            XCTAssertEqual(shop[.orders].count, 1_000_000)
            let plaid = PlaidStore(seed: 1, volume: 1_000_000)
            let token = try plaid.exchange(plaid.createPublicToken(institutionID: "ins_109508", webhook: nil)).accessToken
            XCTAssertEqual(try plaid.withItem(token: token) { $0.changeCount }, 1_000_000)
        }
        XCTAssertLessThan(elapsed, .seconds(30), "seeding a million records took \(elapsed)")
    }
}
