import HubConnectors
import HubCore
import XCTest

/// `unmap`: canonical fields back to the provider's for a push.
final class FieldMappingUnmapTests: XCTestCase {
    func testReversibleTransformsAreUndoneIntoNestedSources() {
        let mapping = FieldMapping(rules: [
            .readOnly("id", "id", .toString),
            .field("customer_id", "customer.id", .toString),
            .field("currency", "currency", .upper),
            FieldRule(target: "total", source: "total_price", transforms: [.decimalToMinor(currencyPath: "currency", asString: true)]),
            .field("due_date", "due_date", .unixToDate),
            .field("processed_at", "processed_at", .isoToUTC),
            .field("created_at", "created", .unixToISO),
            .field("address.city", "billing.city", .trim),
            .field("skus", "line_items[].sku"),
        ])
        let canonical: JSONValue = [
            "id": "99", "customer_id": "7", "currency": "JPY", "total": 1999, "due_date": "2024-02-29",
            "processed_at": "2024-01-15T15:20:30Z", "created_at": "2024-01-15T15:20:30Z", "address": ["city": "Ottawa"],
            "skus": ["A", "B"],
        ]
        XCTAssertEqual(
            mapping.unmap(canonical),
            [
                "customer": ["id": 7], "currency": "JPY", "total_price": "1999", "due_date": 1_709_164_800,
                "processed_at": "2024-01-15T15:20:30Z", "created": 1_705_332_030, "billing": ["city": "Ottawa"],
                "line_items": [["sku": "A"], ["sku": "B"]],
            ]
        )
    }

    func testTheCurrencyOfAMoneyFieldIsFoundWhereItsRuleMapsIt() {
        let mapping = FieldMapping(rules: [
            .field("currency", "balances.code", .upper),
            FieldRule(target: "amount", source: "balances.current", transforms: [.decimalToMinor(currencyPath: "balances.code")]),
        ])
        XCTAssertEqual(mapping.unmap(["currency": "KWD", "amount": 12345]), ["balances": ["code": "KWD", "current": .number(12.345)]])
    }

    func testOneWayRulesAndAbsentFieldsAreLeftOut() {
        let mapping = FieldMapping(rules: [
            .field("name", "title"),
            .field("active", "status", .lookup(["active": true, "archived": false, "draft": false])),
            .field("type", "kind", .lookup(["good": "physical", "service": "service"])),
            FieldRule(target: "vendor", source: "vendor", transforms: [.constant("Acme")]),
            .field("description", "body_html"),
        ])
        XCTAssertEqual(
            mapping.unmap(["name": "Shoe", "active": false, "type": "physical", "vendor": "Other"]),
            ["title": "Shoe", "kind": "good"],
            "an injective lookup is undone; a many-to-one one and a constant are not"
        )
    }

    func testAValueThatCannotBeConvertedBackIsLeftOut() {
        let mapping = FieldMapping(rules: [.field("name", "name"), .field("created_at", "created", .unixToISO)])
        XCTAssertEqual(mapping.unmap(["name": "A", "created_at": "not a time"]), ["name": "A"])
    }

    func testMapThenUnmapRoundTripsThePushedFields() throws {
        let mapping = try XCTUnwrap(ShopifyConnector.defaultFieldMappings["orders"])
        let order: JSONValue = .parse(
            #"""
            {"id": 5, "email": "a@example.com", "currency": "usd", "note": "n", "customer": {"id": 12},
             "processed_at": "2024-01-15T10:20:30-05:00",
             "billing_address": {"address1": "1 Elm St", "city": "Ottawa", "province_code": "ON", "zip": "K1A 0B1", "country_code": "CA"}}
            """#
        )
        let pushed = mapping.unmap(mapping.map(order).canonical)
        XCTAssertEqual(pushed["customer"], ["id": 12])
        XCTAssertEqual(pushed["billing_address"]?["province_code"], "ON")
        XCTAssertEqual(pushed["processed_at"], "2024-01-15T15:20:30Z")
        XCTAssertNil(pushed["id"], "ids are pull-only")
    }
}
