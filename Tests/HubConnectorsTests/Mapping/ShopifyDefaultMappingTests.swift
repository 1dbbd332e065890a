import HubConnectors
import HubCore
import XCTest

/// Shopify's defaults: numeric ids as text, decimal-string prices as minor units, shop-offset
/// timestamps as UTC.
final class ShopifyDefaultMappingTests: XCTestCase {
    func testOrder() throws {
        XCTAssertEqual(
            try mappedByDefault(ShopifyConnector.self, "orders", ShopifyFixtures.order),
            [
                "id": "450789469", "name": "#1001", "order_number": 1001, "customer_id": "207119551", "email": "bob.norman@mail.example.com",
                "phone": .null, "currency": "USD", "financial_status": "paid", "fulfillment_status": .null,
                "subtotal": 59700, "tax": 1194, "discounts": 0, "total": 60894,
                "line_items": ShopifyFixtures.order["line_items"] ?? .null, "skus": ["IPOD2008GREEN", "IPOD2008RED"],
                "billing_address": [
                    "line1": "Chestnut Street 92", "line2": "", "city": "Louisville", "region": "KY", "postal_code": "40202", "country": "US",
                ],
                "note": .null, "tags": "", "processed_at": "2024-01-15T15:20:30Z", "cancelled_at": .null, "closed_at": .null,
                "created_at": "2024-01-15T15:20:30Z", "updated_at": "2024-01-15T15:25:00Z",
            ]
        )
    }

    func testProduct() throws {
        let product = try mappedByDefault(ShopifyConnector.self, "products", ShopifyFixtures.product)
        XCTAssertEqual(product["id"], "632910392")
        XCTAssertEqual(product["name"], "IPod Nano - 8GB")
        XCTAssertEqual(product["active"], true)
        XCTAssertEqual(product["price"], 19900)
        XCTAssertEqual(product["sku"], "IPOD2008PINK")
        XCTAssertEqual(product["skus"], ["IPOD2008PINK", "IPOD2008RED"])
        XCTAssertEqual(product["updated_at"], "2024-01-16T15:20:30Z")
    }

    func testCustomerAndItsDefaultAddress() throws {
        let customer = try mappedByDefault(ShopifyConnector.self, "customers", ShopifyFixtures.customer)
        XCTAssertEqual(customer["total_spent"], 60894)
        XCTAssertEqual(customer["tax_exempt"], false)
        XCTAssertEqual(customer["address"], ["line1": "1 Elm St", "city": "Ottawa", "postal_code": "K1A 0B1", "country": "CA"])
        XCTAssertEqual(customer["created_at"], "2024-01-10T14:00:00Z")
    }

    func testStockLocationsAndFulfillments() throws {
        XCTAssertEqual(
            try mappedByDefault(ShopifyConnector.self, "inventory_levels", ShopifyFixtures.inventoryLevel),
            ["inventory_item_id": "808950810", "location_id": "655441491", "available": 6, "updated_at": "2024-01-15T15:20:30Z"]
        )
        let location = try mappedByDefault(ShopifyConnector.self, "locations", ShopifyFixtures.location)
        XCTAssertEqual(location["address"], ["line1": "1 Main St", "city": "Ottawa", "postal_code": "K1A 0B1", "country": "US"])
        let fulfillment = try mappedByDefault(ShopifyConnector.self, "fulfillments", ShopifyFixtures.fulfillment)
        XCTAssertEqual(fulfillment["order_id"], "450789469")
        XCTAssertEqual(fulfillment["tracking_numbers"], ["1Z2345"])
    }

    func testAJPYShopOverridesTheProductPriceExponent() throws {
        let defaults = try XCTUnwrap(ShopifyConnector.defaultFieldMappings["products"])
        let override = FieldMapping(rules: [.readOnly("price", "variants[0].price", .decimalToMinor(exponent: 0, asString: true))])
        let merged = defaults.overriding(with: override)
        try merged.validate(entity: "products")
        XCTAssertEqual(merged.map(["variants": [["price": "1500"]]]).canonical["price"], 1500)
    }

    func testInventoryPushSendsTheQuantityOnly() throws {
        let mapping = try XCTUnwrap(ShopifyConnector.defaultFieldMappings["inventory_levels"])
        XCTAssertEqual(mapping.unmap(["inventory_item_id": "1", "location_id": "2", "available": 9]), ["available": 9])
    }
}
