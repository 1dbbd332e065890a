import HubCore
import XCTest

@testable import HubConnectors

/// The Stripe connector's full and incremental listings against the sandbox.
final class StripeConnectorListingTests: XCTestCase {
    /// Lists an entity to the end, returning every page.
    static func listAll(_ connector: StripeConnector, _ entity: String, since: String? = nil, pageSize: Int) async throws -> [RecordPage] {
        var pages: [RecordPage] = []
        var cursor: String?
        repeat {
            let page = try await connector.list(ListRequest(entity: entity, cursor: cursor, since: since, pageSize: pageSize))
            pages.append(page)
            cursor = page.nextCursor
            XCTAssertLessThan(pages.count, 1_000, "runaway listing")
        } while cursor != nil
        return pages
    }

    func testFullListingPagesThroughEveryRecordExactlyOnce() async throws {
        try await StripeSandboxHarness.run(volume: 35) { sandbox in
            let pages = try await Self.listAll(sandbox.connector(), "customers", pageSize: 10)
            XCTAssertEqual(pages.count, 4)
            let ids = pages.flatMap { $0.records.map(\.externalID) }
            let expected = try await sandbox.ids("customers")
            XCTAssertEqual(ids, expected, "every seeded customer, in Stripe's order, none twice")
            XCTAssertEqual(Set(ids).count, 35)
            XCTAssertTrue(pages.dropLast().allSatisfy { $0.checkpoint == nil && $0.nextCursor != nil })
            XCTAssertNotNil(pages.last?.checkpoint)
            XCTAssertEqual(pages.first?.records.first?.payload[stripe: "object"]?.stripeString, "customer")
        }
    }

    func testAFullListingsRecordsKeepStripesText() async throws {
        try await StripeSandboxHarness.run(volume: 5) { sandbox in
            let records = try await Self.listAll(sandbox.connector(), "customers", pageSize: 10).flatMap(\.records)
            XCTAssertEqual(records.count, 5)
            for record in records {
                let text = try XCTUnwrap(record.payloadText, record.externalID)
                XCTAssertEqual(JSONReader.parse(Array(text)), record.payload, "the text reads as the record")
                let written = String(decoding: text, as: UTF8.self)
                let stripeOrder = #"{"id":""# + record.externalID + #"","object":"customer","#
                XCTAssertTrue(written.hasPrefix(stripeOrder), "Stripe's order: \(written.prefix(60))")
            }
        }
    }

    func testEveryReadableEntityLists() async throws {
        try await StripeSandboxHarness.run(volume: 12) { sandbox in
            let connector = sandbox.connector()
            let resources = [
                "customers": "customers", "invoices": "invoices", "payments": "payment_intents", "products": "products",
                "prices": "prices", "subscriptions": "subscriptions", "charges": "charges", "payouts": "payouts",
                "balance_transactions": "balance_transactions",
            ]
            for (entity, resource) in resources {
                let ids = try await Self.listAll(connector, entity, pageSize: 5).flatMap { $0.records.map(\.externalID) }
                let expected = try await sandbox.ids(resource)
                XCTAssertEqual(ids, expected, entity)
            }
        }
    }

    func testIncrementalListingSeesUpdatesToOldObjectsAndDeletions() async throws {
        try await StripeSandboxHarness.run(volume: 30) { sandbox in
            let connector = sandbox.connector()
            let full = try await Self.listAll(connector, "customers", pageSize: 100)
            let checkpoint = try XCTUnwrap(full.last?.checkpoint)
            let ids = try await sandbox.ids("customers")
            let oldest = try XCTUnwrap(ids.last)
            let doomed = ids[10]
            // Changes made in the Dashboard: an old customer edited, one deleted, one created.
            let edit = try await sandbox.admin(.POST, "stripe/customers/\(oldest)", json: #"{"email":"changed@example.com"}"#)
            XCTAssertEqual(edit.status, 200, edit.text)
            _ = try await sandbox.admin(.DELETE, "stripe/customers/\(doomed)")
            let created = try await sandbox.admin(.POST, "stripe/customers", json: #"{"name":"New Person"}"#).json
            let newID = try XCTUnwrap(created[stripe: "id"]?.stripeString)
            // More changes than a page, so the walk spans pages.
            for index in 0..<4 {
                _ = try await sandbox.admin(.POST, "stripe/customers/\(ids[index])", json: #"{"metadata":{"touched":"\#(index)"}}"#)
            }

            let pages = try await Self.listAll(connector, "customers", since: checkpoint, pageSize: 3)
            XCTAssertGreaterThanOrEqual(pages.count, 3)
            let records = pages.flatMap(\.records)
            let changed = Dictionary(records.map { ($0.externalID, $0) }, uniquingKeysWith: { _, last in last })
            XCTAssertEqual(changed[oldest]?.payload[stripe: "email"]?.stripeString, "changed@example.com")
            XCTAssertNotNil(changed[oldest]?.updatedAt)
            XCTAssertEqual(changed[newID]?.payload[stripe: "name"]?.stripeString, "New Person")
            XCTAssertEqual(pages.flatMap(\.deletedIDs), [doomed])
            XCTAssertNil(changed[doomed])
            XCTAssertEqual(Set(changed.keys), Set([oldest, newID] + ids[0..<4]))
            XCTAssertEqual(records.count, changed.count, "no record repeated across pages")

            // Nothing changed since: an empty increment, the same checkpoint.
            let next = try XCTUnwrap(pages.last?.checkpoint)
            let quiet = try await connector.list(ListRequest(entity: "customers", since: next, pageSize: 3))
            XCTAssertEqual(quiet.records, [])
            XCTAssertEqual(quiet.checkpoint, next)

            // And one more change is seen from the new checkpoint (walking forward from an event).
            _ = try await sandbox.admin(.POST, "stripe/customers/\(ids[20])", json: #"{"name":"Renamed"}"#)
            let after = try await connector.list(ListRequest(entity: "customers", since: next, pageSize: 3))
            XCTAssertEqual(after.records.map(\.externalID), [ids[20]])
            XCTAssertNotEqual(after.checkpoint, next)
        }
    }

    func testChangesDuringALongFullListingAreSeenByTheNextIncrement() async throws {
        try await StripeSandboxHarness.run(volume: 20) { sandbox in
            let connector = sandbox.connector()
            _ = try await sandbox.admin(.POST, "stripe/customers", json: #"{"name":"Before"}"#)
            let first = try await connector.list(ListRequest(entity: "customers", pageSize: 5))
            let ids = try await sandbox.ids("customers")
            // Already listed on the first page, then changed while the listing goes on.
            _ = try await sandbox.admin(.POST, "stripe/customers/\(ids[1])", json: #"{"phone":"+15550000000"}"#)
            var cursor = first.nextCursor
            var checkpoint: String?
            while let current = cursor {
                let page = try await connector.list(ListRequest(entity: "customers", cursor: current, pageSize: 5))
                cursor = page.nextCursor
                checkpoint = page.checkpoint
            }
            let increment = try await connector.list(ListRequest(entity: "customers", since: try XCTUnwrap(checkpoint), pageSize: 10))
            XCTAssertEqual(increment.records.map(\.externalID), [ids[1]])
            XCTAssertEqual(increment.records.first?.payload[stripe: "phone"]?.stripeString, "+15550000000")
        }
    }

    func testExpiredOrUnknownCheckpointFallsBackToAFullListing() async throws {
        try await StripeSandboxHarness.run(volume: 8) { sandbox in
            let connector = sandbox.connector()
            let stale = StripeListCursor.Checkpoint(anchor: "evt_gone", at: StripeConnector.now - 40 * 86_400).encoded
            let missing = StripeListCursor.Checkpoint(anchor: "evt_gone", at: StripeConnector.now - 60).encoded
            for since in [stale, missing] {
                let pages = try await Self.listAll(connector, "customers", since: since, pageSize: 100)
                let expected = try await sandbox.ids("customers")
                XCTAssertEqual(pages.flatMap { $0.records.map(\.externalID) }, expected)
                XCTAssertNotNil(pages.last?.checkpoint)
            }
            do {
                _ = try await connector.list(ListRequest(entity: "customers", since: "not-a-checkpoint"))
                XCTFail("a foreign checkpoint was accepted")
            } catch let error as ConnectorError {
                XCTAssertEqual(error, StripeListCursor.invalid)
            }
        }
    }

    func testBalanceTransactionsIncrementWalksTheirOwnList() async throws {
        try await StripeSandboxHarness.run(volume: 6) { sandbox in
            let connector = sandbox.connector()
            let full = try await Self.listAll(connector, "balance_transactions", pageSize: 4)
            XCTAssertEqual(full.flatMap(\.records).count, 6)
            let checkpoint = try XCTUnwrap(full.last?.checkpoint)
            let payment = try await connector.createPaymentIntent(amount: 5_000, currency: "usd", paymentMethod: "pm_card_visa", confirm: true)
            XCTAssertEqual(payment.payload[stripe: "status"]?.stripeString, "succeeded")
            let increment = try await connector.list(ListRequest(entity: "balance_transactions", since: checkpoint, pageSize: 10))
            XCTAssertEqual(increment.records.count, 1)
            XCTAssertEqual(increment.records.first?.payload[stripe: "amount"]?.stripeInt, 5_000)
            XCTAssertEqual(increment.records.first?.payload[stripe: "fee"]?.stripeInt, 175)
        }
    }
}
