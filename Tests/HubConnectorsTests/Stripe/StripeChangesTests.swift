import HubCore
import XCTest

@testable import HubConnectors

/// How a slice of Stripe events becomes a page of changes, and the cursor's encoding.
final class StripeChangesTests: XCTestCase {
    let customers = StripeEntityRoute.route(for: "customers")!

    func event(_ id: String, _ type: String, _ object: JSONValue, created: Int) -> JSONValue {
        ["id": .string(id), "object": "event", "type": .string(type), "created": .number(Double(created)), "data": ["object": object]]
    }

    func testLatestStateWinsAndADeletionAfterAnUpdateIsADeletion() throws {
        // Newest first, as Stripe lists them.
        let items: [JSONValue] = [
            event("evt_5", "customer.deleted", ["id": "cus_b", "object": "customer"], created: 105),
            event("evt_4", "customer.updated", ["id": "cus_a", "object": "customer", "name": "A3"], created: 104),
            event("evt_3", "customer.updated", ["id": "cus_b", "object": "customer", "name": "B2"], created: 103),
            event("evt_2", "customer.subscription.created", ["id": "sub_1", "object": "subscription"], created: 102),
            event("evt_1", "customer.updated", ["id": "cus_a", "object": "customer", "name": "A2"], created: 101),
        ]
        let page = try StripeConnector.changesPage(
            customers,
            newestFirst: items[...],
            hasMore: false,
            after: StripeListCursor.Checkpoint(anchor: "evt_0", at: 100)
        )
        XCTAssertEqual(page.records.map(\.externalID), ["cus_a"])
        XCTAssertEqual(page.records.first?.payload[stripe: "name"]?.stripeString, "A3")
        XCTAssertEqual(page.records.first?.updatedAt, Date(timeIntervalSince1970: 104))
        XCTAssertEqual(page.deletedIDs, ["cus_b"])
        XCTAssertNil(page.nextCursor)
        XCTAssertEqual(try StripeListCursor.Checkpoint.decode(try XCTUnwrap(page.checkpoint)), .init(anchor: "evt_5", at: 105))
    }

    func testAPageWithMoreToComeCarriesItsNewestEventAsTheCursor() throws {
        let items: [JSONValue] = [event("evt_9", "customer.created", ["id": "cus_z", "object": "customer"], created: 9)]
        let page = try StripeConnector.changesPage(
            customers,
            newestFirst: items[...],
            hasMore: true,
            after: StripeListCursor.Checkpoint(anchor: nil, at: 1)
        )
        XCTAssertNil(page.checkpoint)
        let cursor = try StripeListCursor.decode(try XCTUnwrap(page.nextCursor))
        XCTAssertEqual(cursor, StripeListCursor(mode: .changes, checkpoint: .init(anchor: "evt_9", at: 9)))
    }

    func testAnEmptySliceKeepsTheCheckpoint() throws {
        let checkpoint = StripeListCursor.Checkpoint(anchor: "evt_7", at: 70)
        let page = try StripeConnector.changesPage(customers, newestFirst: [], hasMore: false, after: checkpoint)
        XCTAssertEqual(page.records, [])
        XCTAssertEqual(page.checkpoint, checkpoint.encoded)
    }

    func testCursorsRoundTripAndForeignOnesAreRefused() throws {
        let cursor = StripeListCursor(mode: .full, after: "cus_1", afterCreated: 5, checkpoint: .init(anchor: nil, at: 3))
        XCTAssertTrue(cursor.encoded.hasPrefix("stripe1."))
        XCTAssertEqual(try StripeListCursor.decode(cursor.encoded), cursor)
        for foreign in ["", "stripe1.", "stripe1.!!!", "shopify1.abc", "stripe1.e30"] {
            XCTAssertThrowsError(try StripeListCursor.decode(foreign), foreign)
        }
    }

    func testEveryDefinedEntityHasARoute() {
        for entity in StripeConnector.definition.entities {
            XCTAssertNotNil(StripeEntityRoute.route(for: entity.name), entity.name)
        }
        for route in StripeEntityRoute.all {
            XCTAssertLessThanOrEqual(route.eventTypes?.count ?? 0, 20, "Stripe accepts at most 20 types[]")
        }
    }
}
