import HubCore

/// Shopify Admin REST resources as the sandbox's shop writes them: numeric ids, decimal-string
/// prices, timestamps at the shop's -05:00 offset.
enum ShopifyFixtures {
    static let all: [String: JSONValue] = [
        "products": product, "orders": order, "customers": customer, "inventory_levels": inventoryLevel, "locations": location,
        "fulfillments": fulfillment,
    ]

    static let product = JSONValue.parse(
        #"""
        {"id": 632910392, "title": "IPod Nano - 8GB", "body_html": "<p>It's the small iPod.</p>", "vendor": "Apple", "product_type": "Cult Products",
         "handle": "ipod-nano", "status": "active", "tags": "Emotive, Flash Memory", "published_scope": "web", "template_suffix": null,
         "created_at": "2024-01-15T10:20:30-05:00", "updated_at": "2024-01-16T10:20:30-05:00", "published_at": "2024-01-15T10:20:30-05:00",
         "variants": [
           {"id": 808950810, "product_id": 632910392, "title": "Pink", "price": "199.00", "sku": "IPOD2008PINK", "position": 1,
            "inventory_item_id": 808950810, "inventory_quantity": 10, "compare_at_price": null},
           {"id": 49148385, "product_id": 632910392, "title": "Red", "price": "199.00", "sku": "IPOD2008RED", "position": 2,
            "inventory_item_id": 49148385, "inventory_quantity": 20, "compare_at_price": null}],
         "options": [{"id": 594680422, "product_id": 632910392, "name": "Color", "position": 1}], "images": [], "image": null,
         "admin_graphql_api_id": "gid://shopify/Product/632910392"}
        """#
    )

    static let order = JSONValue.parse(
        #"""
        {"id": 450789469, "name": "#1001", "number": 1, "order_number": 1001, "email": "bob.norman@mail.example.com", "phone": null,
         "currency": "USD", "financial_status": "paid", "fulfillment_status": null, "cancelled_at": null, "cancel_reason": null,
         "closed_at": null, "note": null, "tags": "", "source_name": "api", "test": false,
         "subtotal_price": "597.00", "total_line_items_price": "597.00", "total_tax": "11.94", "total_discounts": "0.00", "total_price": "608.94",
         "billing_address": {"first_name": "Bob", "address1": "Chestnut Street 92", "address2": "", "city": "Louisville", "province": "Kentucky",
                             "province_code": "KY", "zip": "40202", "country": "United States", "country_code": "US"},
         "shipping_address": null,
         "customer": {"id": 207119551, "email": "bob.norman@mail.example.com", "first_name": "Bob", "last_name": "Norman"},
         "line_items": [
           {"id": 466157049, "variant_id": 39072856, "product_id": 632910392, "title": "IPod Nano - 8gb", "sku": "IPOD2008GREEN",
            "price": "199.00", "quantity": 1, "fulfillable_quantity": 1, "fulfillment_status": null},
           {"id": 518995019, "variant_id": 49148385, "product_id": 632910392, "title": "IPod Nano - 8gb", "sku": "IPOD2008RED",
            "price": "199.00", "quantity": 2, "fulfillable_quantity": 2, "fulfillment_status": null}],
         "fulfillments": [], "processed_at": "2024-01-15T10:20:30-05:00", "created_at": "2024-01-15T10:20:30-05:00",
         "updated_at": "2024-01-15T10:25:00-05:00", "admin_graphql_api_id": "gid://shopify/Order/450789469"}
        """#
    )

    static let customer = JSONValue.parse(
        #"""
        {"id": 207119551, "email": "bob.norman@mail.example.com", "first_name": "Bob", "last_name": "Norman", "phone": "+16136120707",
         "note": null, "tags": "VIP", "state": "disabled", "verified_email": true, "tax_exempt": false, "currency": "USD",
         "orders_count": 1, "total_spent": "608.94", "last_order_id": 450789469, "last_order_name": "#1001",
         "created_at": "2024-01-10T09:00:00-05:00", "updated_at": "2024-01-15T10:25:00-05:00",
         "addresses": [{"id": 207119551, "customer_id": 207119551, "address1": "1 Elm St", "city": "Ottawa", "country_code": "CA",
                        "zip": "K1A 0B1", "default": true}],
         "default_address": {"id": 207119551, "customer_id": 207119551, "address1": "1 Elm St", "city": "Ottawa", "country_code": "CA",
                             "zip": "K1A 0B1", "default": true},
         "admin_graphql_api_id": "gid://shopify/Customer/207119551"}
        """#
    )

    static let inventoryLevel = JSONValue.parse(
        #"""
        {"inventory_item_id": 808950810, "location_id": 655441491, "available": 6, "updated_at": "2024-01-15T10:20:30-05:00",
         "admin_graphql_api_id": "gid://shopify/InventoryLevel/655441491?inventory_item_id=808950810"}
        """#
    )

    static let location = JSONValue.parse(
        #"""
        {"id": 655441491, "name": "Main Warehouse", "address1": "1 Main St", "city": "Ottawa", "zip": "K1A 0B1", "country_code": "US",
         "country": "US", "active": true, "legacy": false, "created_at": "2024-01-01T00:00:00-05:00", "updated_at": "2024-01-01T00:00:00-05:00",
         "admin_graphql_api_id": "gid://shopify/Location/655441491"}
        """#
    )

    static let fulfillment = JSONValue.parse(
        #"""
        {"id": 255858046, "order_id": 450789469, "status": "success", "service": "manual", "name": "#1001.1", "shipment_status": null,
         "location_id": 655441491, "tracking_company": "UPS", "tracking_number": "1Z2345", "tracking_numbers": ["1Z2345"],
         "tracking_url": "https://www.ups.com/track?tracknum=1Z2345", "tracking_urls": ["https://www.ups.com/track?tracknum=1Z2345"],
         "line_items": [{"id": 466157049, "quantity": 1, "sku": "IPOD2008GREEN"}], "notify_customer": false,
         "created_at": "2024-01-16T10:20:30-05:00", "updated_at": "2024-01-16T10:20:30-05:00",
         "admin_graphql_api_id": "gid://shopify/Fulfillment/255858046"}
        """#
    )
}
