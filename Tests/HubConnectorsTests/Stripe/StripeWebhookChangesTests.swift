import Foundation
import HubConnectors
import HubCore
import XCTest

/// What a verified Stripe event means for the store (`StripeConnector+Webhooks.swift`).
final class StripeWebhookChangesTests: XCTestCase {
    static func event(_ type: String, _ object: JSONValue, created: Int? = 1_700_000_000) -> VerifiedWebhook {
        var payload: [String: JSONValue] = ["id": "evt_1", "object": "event", "type": .string(type), "data": ["object": object]]
        if let created { payload["created"] = .number(Double(created)) }
        return VerifiedWebhook(eventID: "evt_1", accountID: nil, eventType: type, payload: .object(payload))
    }

    static let customer: JSONValue = ["id": "cus_1", "object": "customer", "name": "Ada", "updated": 5]

    func testCreatedAndUpdatedEventsUpsertTheObjectTimedAtTheEvent() {
        for type in ["customer.created", "customer.updated"] {
            let changes = StripeConnector.changes(for: Self.event(type, Self.customer))
            let record = ProviderRecord(externalID: "cus_1", updatedAt: Date(timeIntervalSince1970: 1_700_000_000), payload: Self.customer)
            XCTAssertEqual(changes, [.upsert(entity: "customers", record: record)], type)
        }
    }

    func testWithoutAnEventTimeTheObjectsOwnUpdatedTimeIsUsed() {
        let changes = StripeConnector.changes(for: Self.event("customer.updated", Self.customer, created: nil))
        let record = ProviderRecord(externalID: "cus_1", updatedAt: Date(timeIntervalSince1970: 5), payload: Self.customer)
        XCTAssertEqual(changes, [.upsert(entity: "customers", record: record)])
    }

    func testTheEntityFollowsTheObjectKindNotTheEventPrefix() {
        let subscription: JSONValue = ["id": "sub_1", "object": "subscription", "status": "active"]
        let changes = StripeConnector.changes(for: Self.event("customer.subscription.updated", subscription))
        XCTAssertEqual(changes.count, 1)
        guard case .upsert(let entity, let record)? = changes.first else { return XCTFail("\(changes)") }
        XCTAssertEqual(entity, "subscriptions")
        XCTAssertEqual(record.externalID, "sub_1")
    }

    func testDeletedEventsDeleteTheObject() {
        XCTAssertEqual(
            StripeConnector.changes(for: Self.event("customer.deleted", Self.customer)),
            [.delete(entity: "customers", externalID: "cus_1")]
        )
        XCTAssertEqual(
            StripeConnector.changes(for: Self.event("product.deleted", ["id": "prod_1", "object": "product"])),
            [.delete(entity: "products", externalID: "prod_1")]
        )
    }

    /// A subscription "deleted" at Stripe is canceled and still readable: its new state is kept.
    func testADeletedSubscriptionIsKeptAsCanceled() {
        let subscription: JSONValue = ["id": "sub_1", "object": "subscription", "status": "canceled"]
        let record = ProviderRecord(externalID: "sub_1", updatedAt: Date(timeIntervalSince1970: 1_700_000_000), payload: subscription)
        XCTAssertEqual(
            StripeConnector.changes(for: Self.event("customer.subscription.deleted", subscription)),
            [.upsert(entity: "subscriptions", record: record)]
        )
    }

    func testUnknownEventTypesMeanNothing() {
        XCTAssertEqual(StripeConnector.changes(for: Self.event("customer.discount.created", Self.customer)), [])
        XCTAssertEqual(StripeConnector.changes(for: Self.event("balance.available", ["object": "balance"])), [])
    }

    func testAnEventWhoseObjectIsNotOfItsTypesKindMeansNothing() {
        let invoice: JSONValue = ["id": "in_1", "object": "invoice"]
        XCTAssertEqual(StripeConnector.changes(for: Self.event("customer.updated", invoice)), [])
    }

    /// The interpreter does not throw: an event it cannot read is acknowledged and changes nothing.
    func testMalformedEventsMeanNothing() {
        XCTAssertEqual(StripeConnector.changes(for: Self.event("customer.updated", ["object": "customer", "name": "no id"])), [])
        let withoutData = VerifiedWebhook(
            eventID: "evt_2",
            accountID: nil,
            eventType: "customer.updated",
            payload: ["id": "evt_2", "type": "customer.updated"]
        )
        XCTAssertEqual(StripeConnector.changes(for: withoutData), [])
        let notAnObject = VerifiedWebhook(
            eventID: "evt_3",
            accountID: nil,
            eventType: "customer.updated",
            payload: ["data": ["object": "cus_1"]]
        )
        XCTAssertEqual(StripeConnector.changes(for: notAnObject), [])
    }
}
