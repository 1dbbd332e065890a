import HubCore

/// Locations and inventory levels. A level is identified by its inventory item and location;
/// internally it also has a key that orders the listing (by location, then item, as connected).
extension ShopifyShop {
    mutating func createLocation(name: String, address: JSONObject, at: Int64) -> JSONObject {
        let id = allocateID()
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var location: JSONObject = [
            "id": .int(id), "name": .string(name), "active": true, "legacy": false, "created_at": time, "updated_at": time,
            "country_code": .string("US"), "country": .string("US"), "admin_graphql_api_id": Self.graphQLID("Location", id),
        ]
        Self.merge(address, into: &location, except: ["id"])
        store(.locations, id, location, at: at)
        return location
    }

    mutating func connectLevel(item: Int64, location: Int64, available: Int64, at: Int64) {
        let key = allocateID()
        levelKeys[item, default: [:]][location] = key
        store(.inventoryLevels, key, Self.level(item: item, location: location, available: available, at: at), at: at)
    }

    static func level(item: Int64, location: Int64, available: Int64, at: Int64) -> JSONObject {
        [
            "inventory_item_id": .int(item), "location_id": .int(location), "available": .int(available),
            "updated_at": .string(ShopifyTimestamp.string(at)),
            "admin_graphql_api_id": .string("gid://shopify/InventoryLevel/\(location)?inventory_item_id=\(item)"),
        ]
    }

    /// `inventory_levels/adjust.json` (`available_adjustment`) and `set.json` (`available`).
    mutating func changeLevel(
        item: Int64?,
        location: Int64?,
        adjustBy delta: Int64?,
        setTo value: Int64?,
        at: Int64
    ) throws(ShopifyAPIError)
        -> (JSONObject, [ShopifyEvent])
    {
        guard let item else { throw .invalid("inventory_item_id", "can't be blank") }
        guard let location else { throw .invalid("location_id", "can't be blank") }
        guard let key = levelKeys(ofItem: item)?[location], let current = self[.inventoryLevels][key] else {
            throw .invalid("base", "Inventory item does not have inventory tracking enabled at this location")
        }
        let before = current["available"]?.int64 ?? 0
        let available: Int64
        if let delta {
            available = before + delta
        } else if let value {
            available = value
        } else {
            throw .invalid(value == nil ? "available_adjustment" : "available", "can't be blank")
        }
        let level = Self.level(item: item, location: location, available: available, at: at)
        store(.inventoryLevels, key, level, at: at)
        updateVariantQuantity(item: item, by: available - before)
        return (level, [ShopifyEvent(topic: "inventory_levels/update", payload: level)])
    }

    /// Keeps a variant's `inventory_quantity` (the sum over locations) in step with its levels,
    /// without touching the product's `updated_at` (Shopify does not either).
    private mutating func updateVariantQuantity(item: Int64, by delta: Int64) {
        guard delta != 0, let productID = productID(ofItem: item), var product = self[.products][productID],
            var variants = product["variants"]?.arrayValue,
            let index = variants.firstIndex(where: { $0.objectValue?["inventory_item_id"]?.int64 == item }), var variant = variants[index].objectValue
        else { return }
        variant["inventory_quantity"] = .int((variant["inventory_quantity"]?.int64 ?? 0) + delta)
        variants[index] = .object(variant)
        product["variants"] = .array(variants)
        collections[.products]?.amend(productID, product)
    }
}
