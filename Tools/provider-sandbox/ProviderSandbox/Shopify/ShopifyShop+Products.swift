import HubCore

/// Products and their variants: every variant owns an inventory item, stocked at every location.
extension ShopifyShop {
    mutating func createProduct(
        _ fields: JSONObject,
        at: Int64,
        stock: (Int) -> Int64 = { _ in 0 }
    ) throws(ShopifyAPIError)
        -> (JSONObject, [ShopifyEvent])
    {
        guard let title = fields["title"], !title.isBlank else { throw .invalid("title", "can't be blank") }
        let id = allocateID()
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var product: JSONObject = [
            "body_html": .null, "vendor": .string(info["name"]?.stringValue ?? domain), "product_type": .string(""), "tags": .string(""),
            "status": .string("active"), "published_scope": .string("web"), "template_suffix": .null, "images": .array([]), "image": .null,
        ]
        Self.merge(fields, into: &product, except: ["id", "variants", "created_at", "updated_at", "admin_graphql_api_id"])
        product["id"] = .int(id)
        product["handle"] = product["handle"].flatMap { $0.isBlank ? nil : $0 } ?? .string(Self.handle(title.stringValue ?? "\(id)"))
        product["created_at"] = time
        product["updated_at"] = time
        product["published_at"] = product["status"]?.stringValue == "active" ? time : .null
        product["admin_graphql_api_id"] = Self.graphQLID("Product", id)
        let requested = fields["variants"]?.arrayValue?.compactMap(\.objectValue) ?? []
        var variants: [JSONValue] = []
        for (index, variantFields) in (requested.isEmpty ? [[:]] : requested).enumerated() {
            variants.append(.object(newVariant(variantFields, productID: id, position: index + 1, at: at, stock: stock(index))))
        }
        product["variants"] = .array(variants)
        product["options"] = .array([.object(["id": .int(allocateID()), "product_id": .int(id), "name": .string("Title"), "position": 1])])
        store(.products, id, product, at: at)
        return (product, [ShopifyEvent(topic: "products/create", payload: product)])
    }

    mutating func updateProduct(_ id: Int64, _ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> (JSONObject, [ShopifyEvent]) {
        var product = try object(.products, id)
        if let title = fields["title"], title.isBlank { throw .invalid("title", "can't be blank") }
        Self.merge(fields, into: &product, except: ["id", "variants", "created_at", "updated_at", "admin_graphql_api_id", "options"])
        if let requested = fields["variants"]?.arrayValue?.compactMap(\.objectValue) {
            let existing = product["variants"]?.arrayValue?.compactMap(\.objectValue) ?? []
            var variants: [JSONValue] = []
            for (index, variantFields) in requested.enumerated() {
                if let variantID = variantFields["id"]?.int64, var variant = existing.first(where: { $0["id"]?.int64 == variantID }) {
                    Self.merge(
                        variantFields,
                        into: &variant,
                        except: ["id", "product_id", "inventory_item_id", "created_at", "admin_graphql_api_id"]
                    )
                    if let price = variantFields["price"]?.decimal { variant["price"] = .money(price) }
                    variant["updated_at"] = .string(ShopifyTimestamp.string(at))
                    variants.append(.object(variant))
                } else {
                    variants.append(.object(newVariant(variantFields, productID: id, position: index + 1, at: at, stock: 0)))
                }
            }
            product["variants"] = .array(variants)
        }
        product["updated_at"] = .string(ShopifyTimestamp.string(at))
        store(.products, id, product, at: at)
        return (product, [ShopifyEvent(topic: "products/update", payload: product)])
    }

    mutating func deleteProduct(_ id: Int64) throws(ShopifyAPIError) -> [ShopifyEvent] {
        let product = try object(.products, id)
        for variant in product["variants"]?.arrayValue ?? [] {
            guard let item = variant.objectValue?["inventory_item_id"]?.int64 else { continue }
            for key in (levelKeys(ofItem: item) ?? [:]).values { discard(.inventoryLevels, key) }
            levelKeys.removeValue(forKey: item)
            itemProducts.removeValue(forKey: item)
            if let variantID = variant.objectValue?["id"]?.int64 { variantProducts.removeValue(forKey: variantID) }
        }
        discard(.products, id)
        return [ShopifyEvent(topic: "products/delete", payload: ["id": .int(id)])]
    }

    private mutating func newVariant(_ fields: JSONObject, productID: Int64, position: Int, at: Int64, stock: Int64) -> JSONObject {
        let id = allocateID()
        let item = allocateID()
        let time = JSONValue.string(ShopifyTimestamp.string(at))
        var variant: JSONObject = [
            "title": .string("Default Title"), "sku": .string(""), "barcode": .null, "compare_at_price": .null,
            "inventory_policy": .string("deny"), "inventory_management": .string("shopify"), "taxable": true,
            "requires_shipping": true, "grams": 0, "weight": .number(0), "weight_unit": .string("kg"), "option1": .string("Default Title"),
        ]
        Self.merge(fields, into: &variant, except: ["id", "product_id", "inventory_item_id", "created_at", "updated_at", "admin_graphql_api_id"])
        variant["id"] = .int(id)
        variant["product_id"] = .int(productID)
        variant["position"] = .int(Int64(position))
        variant["price"] = .money(fields["price"]?.decimal ?? 0)
        variant["inventory_item_id"] = .int(item)
        itemProducts[item] = productID
        variantProducts[id] = productID
        variant["inventory_quantity"] = .int(stock)
        variant["created_at"] = time
        variant["updated_at"] = time
        variant["admin_graphql_api_id"] = Self.graphQLID("ProductVariant", id)
        let locations = self[.locations].ids
        for (index, location) in locations.enumerated() {
            connectLevel(item: item, location: location, available: index == 0 ? stock : 0, at: at)
        }
        return variant
    }

    /// `Red Running Shoes!` → `red-running-shoes`.
    static func handle(_ title: String) -> String {
        var result = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.last == "-" { result.removeLast() }
        return result
    }
}
