import HubCore

/// A webhook the emulated shop owes its subscribers after a write: the topic (`products/update`)
/// and the payload Shopify sends for it (the object, or `{"id": …}` for deletions).
struct ShopifyEvent: Sendable {
    var topic: String
    var payload: JSONObject
}

/// One emulated store: its resources and the rules Shopify applies when they are written (ids,
/// timestamps, required fields, variants owning inventory items, orders owning fulfillment
/// orders). Writes return the webhooks they trigger; the provider sends them.
struct ShopifyShop: Sendable {
    let domain: String
    var info: JSONObject
    var collections: [ShopifyResource: ShopifyCollection] = [:]
    /// One counter for every id, so ids never collide across resources.
    var nextID: Int64 = 1_000_000_000_001
    var nextOrderNumber: Int64 = 1001
    /// The seeded objects' layout; the maps below hold only what was written since (read them
    /// through the lookups of the same names, which also answer for seeded objects).
    private(set) var seed: ShopifySeed?
    /// inventory item id → location id → key of its level in `collections[.inventoryLevels]`.
    var levelKeys: [Int64: [Int64: Int64]] = [:]
    /// order id → its fulfillment orders' ids.
    var fulfillmentOrderIDs: [Int64: [Int64]] = [:]
    /// inventory item id → the product whose variant owns it.
    var itemProducts: [Int64: Int64] = [:]
    /// variant id → its product.
    var variantProducts: [Int64: Int64] = [:]
    var customerEmails: [String: Int64] = [:]

    /// A shop with its two locations and `volume` seeded products, customers and orders
    /// (`ShopifySeed`), generated as they are read.
    init(domain: String, name: String, seed: UInt64, volume: Int) {
        var blank = ShopifyShop(domain: domain, name: name)
        let at = ShopifySeed.start
        _ = blank.createLocation(name: "Main Warehouse", address: ["address1": "1 Main St", "city": "Ottawa", "zip": "K1A 0B1"], at: at)
        _ = blank.createLocation(name: "Downtown Store", address: ["address1": "200 Queen St", "city": "Toronto", "zip": "M5H 2N2"], at: at)
        let seeded = ShopifySeed(blank: blank, seed: seed, volume: volume)
        self = blank
        self.seed = seeded
        for resource in ShopifyResource.allCases where seeded.count(resource) > 0 {
            collections[resource] = ShopifyCollection(seed: seeded, resource: resource)
        }
        nextID = seeded.nextID
        nextOrderNumber += Int64(seeded.count(.orders))
    }

    /// A shop with nothing in it.
    init(domain: String, name: String) {
        seed = nil
        self.domain = domain
        let created = ShopifyTimestamp.string(1_672_531_200)
        info = [
            "id": .int(1_000_000_000), "name": .string(name), "myshopify_domain": .string(domain), "domain": .string(domain),
            "email": .string("owner@\(domain)"), "currency": .string("USD"), "iana_timezone": .string("America/New_York"),
            "timezone": .string("(GMT-05:00) America/New_York"), "country_code": .string("US"), "plan_name": .string("partner_test"),
            "created_at": .string(created), "updated_at": .string(created),
        ]
    }

    subscript(resource: ShopifyResource) -> ShopifyCollection {
        collections[resource] ?? ShopifyCollection()
    }

    mutating func allocateID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    mutating func store(_ resource: ShopifyResource, _ id: Int64, _ object: JSONObject, at: Int64) {
        collections[resource, default: ShopifyCollection()].put(id, object, at: at)
    }

    mutating func discard(_ resource: ShopifyResource, _ id: Int64) {
        collections[resource]?.remove(id)
    }

    // MARK: What belongs to what (written objects from the maps, seeded ones from the layout)

    /// The product whose variant has this id.
    func productID(ofVariant variant: Int64) -> Int64? {
        if let product = variantProducts[variant] { return product }
        return seededProduct(owning: variant, as: .variant)
    }

    /// The product whose variant owns this inventory item.
    func productID(ofItem item: Int64) -> Int64? {
        if let product = itemProducts[item] { return product }
        return seededProduct(owning: item, as: .item)
    }

    private func seededProduct(owning id: Int64, as kind: ShopifySeed.VariantKey) -> Int64? {
        guard let seed, let (index, _) = seed.product(owning: id, as: kind) else { return nil }
        let product = seed.id(.products, index)
        return self[.products].contains(product) ? product : nil
    }

    /// The keys of an inventory item's levels, by location id.
    func levelKeys(ofItem item: Int64) -> [Int64: Int64]? {
        if let keys = levelKeys[item] { return keys }
        guard productID(ofItem: item) != nil else { return nil }
        return seed?.levelKeys(ofItem: item)
    }

    /// The ids of an order's fulfillment orders.
    func fulfillmentOrderIDs(of order: Int64) -> [Int64] {
        if let ids = fulfillmentOrderIDs[order] { return ids }
        guard let seed, self[.orders].contains(order), let index = seed.index(.orders, of: order) else { return [] }
        return [seed.id(.fulfillmentOrders, index)]
    }

    /// The customer with this (lower-cased) email.
    func customerID(email: String) -> Int64? {
        if let customer = customerEmails[email] { return customer }
        guard let seed, let index = seed.customerIndex(email: email) else { return nil }
        let customer = seed.id(.customers, index)
        return self[.customers][customer]?["email"]?.stringValue?.lowercased() == email ? customer : nil
    }

    func object(_ resource: ShopifyResource, _ id: Int64) throws(ShopifyAPIError) -> JSONObject {
        guard let object = self[resource][id] else { throw .notFound }
        return object
    }

    static func graphQLID(_ type: String, _ id: Int64) -> JSONValue {
        .string("gid://shopify/\(type)/\(id)")
    }

    /// Copies `fields` over `object`, except what a client may not set.
    static func merge(_ fields: JSONObject, into object: inout JSONObject, except protected: Set<String>) {
        for (key, value) in fields where !protected.contains(key) {
            object[key] = value
        }
    }

    // MARK: Writes by resource

    mutating func create(
        _ resource: ShopifyResource,
        _ fields: JSONObject,
        at: Int64
    ) throws(ShopifyAPIError)
        -> (JSONObject, [ShopifyEvent])
    {
        switch resource {
        case .products: return try createProduct(fields, at: at)
        case .customers: return try createCustomer(fields, at: at)
        case .orders: return try createOrder(fields, at: at)
        case .webhooks: return (try createWebhook(fields, at: at), [])
        default: throw .notFound
        }
    }

    mutating func update(
        _ resource: ShopifyResource,
        _ id: Int64,
        _ fields: JSONObject,
        at: Int64
    ) throws(ShopifyAPIError)
        -> (JSONObject, [ShopifyEvent])
    {
        switch resource {
        case .products: return try updateProduct(id, fields, at: at)
        case .customers: return try updateCustomer(id, fields, at: at)
        case .orders: return try updateOrder(id, fields, at: at)
        case .webhooks: return (try updateWebhook(id, fields, at: at), [])
        default: throw .notFound
        }
    }

    mutating func delete(_ resource: ShopifyResource, _ id: Int64) throws(ShopifyAPIError) -> [ShopifyEvent] {
        switch resource {
        case .products: return try deleteProduct(id)
        case .customers: return try deleteCustomer(id)
        case .orders: return try deleteOrder(id)
        case .webhooks:
            _ = try object(.webhooks, id)
            discard(.webhooks, id)
            return []
        default: throw .notFound
        }
    }

    // MARK: Webhook subscriptions

    mutating func createWebhook(_ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> JSONObject {
        guard let topic = fields["topic"], !topic.isBlank else { throw .invalid("topic", "can't be blank") }
        guard let address = fields["address"], !address.isBlank else { throw .invalid("address", "can't be blank") }
        let id = allocateID()
        let object: JSONObject = [
            "id": .int(id), "topic": topic, "address": address, "format": fields["format"] ?? .string("json"),
            "api_version": .string(ShopifyProvider.apiVersion), "fields": .array([]), "metafield_namespaces": .array([]),
            "created_at": .string(ShopifyTimestamp.string(at)), "updated_at": .string(ShopifyTimestamp.string(at)),
        ]
        store(.webhooks, id, object, at: at)
        return object
    }

    mutating func updateWebhook(_ id: Int64, _ fields: JSONObject, at: Int64) throws(ShopifyAPIError) -> JSONObject {
        var object = try object(.webhooks, id)
        Self.merge(fields, into: &object, except: ["id", "created_at", "topic"])
        object["updated_at"] = .string(ShopifyTimestamp.string(at))
        store(.webhooks, id, object, at: at)
        return object
    }

    /// Addresses subscribed to `topic` through the REST API.
    func subscribers(of topic: String) -> [String] {
        self[.webhooks].objects.values.compactMap { $0["topic"]?.stringValue == topic ? $0["address"]?.stringValue : nil }.sorted()
    }
}
