import HubCore

/// A shop's starting data: `volume` products, customers and orders from the seed, so every run
/// (and every machine) sees the same ids, names and counts. Two locations stock every variant.
/// Seeded times lie between 2023 and mid-2024, increasing with the object's index.
///
/// The data is what creating the objects one after another through the API would give — one
/// generator draws for all of them in turn, and ids are allocated in creation order — but nothing
/// is created up front. One pass over the few draws that size the objects (variants per product,
/// lines per order) records where each object's draws and ids begin; any object is then made on
/// its own, when read, by creating it in a blank shop positioned at its first id.
final class ShopifySeed: Sendable {
    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim", "Margaret", "Linus"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Berners-Lee"]
    static let adjectives = ["Classic", "Organic", "Vintage", "Compact", "Deluxe", "Rugged", "Lightweight", "Handmade", "Smart", "Eco"]
    static let nouns = ["Mug", "Backpack", "Lamp", "Notebook", "Jacket", "Sneakers", "Kettle", "Headphones", "Blanket", "Watch"]
    static let vendors = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    static let variantNames = ["Small", "Medium", "Large"]
    static let start: Int64 = 1_672_531_200  // 2023-01-01T00:00:00Z
    static let span: Int64 = 47_000_000  // about 18 months
    /// Seeded objects were last updated up to three days after they were created.
    static let updateWindow: UInt64 = 259_200

    let volume: Int
    /// The shop with its two locations and nothing else: seeded objects are created in a copy.
    let blank: ShopifyShop
    private let generatorSeed: UInt64
    private let step: Int64
    /// Per product: where its draws begin, its id (the first of its block: the product, then
    /// per variant its id, inventory item id and a level key per location, then its option), and
    /// the index of its first variant among all variants (one entry more: the total).
    private let productDraws: [Int]
    private let productIDs: [Int64]
    private let variantStarts: [Int]
    private let customerDraws: Int
    private let customerIDs: Int64
    /// Per order: where its draws begin and its id (the order, its line items, its fulfillment
    /// order, the fulfillment order's lines), one entry more for the id after the last.
    private let orderDraws: [Int]
    private let orderIDs: [Int64]
    /// The id the shop allocates next once seeded.
    let nextID: Int64

    init(blank: ShopifyShop, seed: UInt64, volume: Int) {
        self.blank = blank
        self.volume = max(0, volume)
        generatorSeed = seed ^ SeededGenerator.stableHash(blank.domain)
        step = max(1, Self.span / Int64(max(volume, 1)))
        let locations = Int64(blank[.locations].count)
        var draws = 0
        var id = blank.nextID
        var productDraws: [Int] = []
        var productIDs: [Int64] = []
        var variantStarts = [0]
        for _ in 0..<self.volume {
            var generator = SeededGenerator(seed: generatorSeed, skipping: draws + 3)
            let variants = 1 + Int(generator.next() % 3)
            productDraws.append(draws)
            productIDs.append(id)
            variantStarts.append(variantStarts[variantStarts.count - 1] + variants)
            draws += 5 + variants
            id += 2 + Int64(variants) * (2 + locations)
        }
        customerDraws = draws
        customerIDs = id
        draws += 3 * self.volume
        id += 2 * Int64(self.volume)
        var orderDraws: [Int] = []
        var orderIDs: [Int64] = []
        for _ in 0..<(variantStarts.last == 0 ? 0 : self.volume) {
            var generator = SeededGenerator(seed: generatorSeed, skipping: draws)
            let lines = 1 + Int(generator.next() % 3)
            orderDraws.append(draws)
            orderIDs.append(id)
            draws += 4 + 2 * lines
            id += 2 + 2 * Int64(lines)
        }
        orderIDs.append(id)
        self.productDraws = productDraws
        self.productIDs = productIDs
        self.variantStarts = variantStarts
        self.orderDraws = orderDraws
        self.orderIDs = orderIDs
        nextID = id
    }

    // MARK: Where things are

    func count(_ resource: ShopifyResource) -> Int {
        switch resource {
        case .products, .customers: volume
        case .orders, .fulfillmentOrders: orderDraws.count
        case .inventoryLevels: variantStarts[variantStarts.count - 1] * locationCount
        default: 0
        }
    }

    private var locationCount: Int { blank[.locations].count }

    /// The id of the seeded object at `index`, ascending with the index.
    func id(_ resource: ShopifyResource, _ index: Int) -> Int64 {
        switch resource {
        case .products: return productIDs[index]
        case .customers: return customerIDs + 2 * Int64(index)
        case .orders: return orderIDs[index]
        case .fulfillmentOrders: return orderIDs[index] + 1 + Int64(lines(ofOrder: index))
        case .inventoryLevels:
            let (product, variant) = variantPlace(index / locationCount)
            return variantID(product, variant) + 2 + Int64(index % locationCount)
        default: return 0
        }
    }

    /// The index of the seeded object with this id, or nil.
    func index(_ resource: ShopifyResource, of id: Int64) -> Int? {
        switch resource {
        case .products:
            return Self.find(id, in: productIDs)
        case .customers:
            let offset = id - customerIDs
            return offset >= 0 && offset % 2 == 0 && offset / 2 < Int64(volume) ? Int(offset / 2) : nil
        case .orders:
            return Self.find(id, in: orderIDs.dropLast())
        case .fulfillmentOrders:
            guard let order = Self.last(atMost: id, in: orderIDs.dropLast()), self.id(.fulfillmentOrders, order) == id else { return nil }
            return order
        case .inventoryLevels:
            guard let (product, variant, slot) = productSlot(id), slot >= 2 else { return nil }
            return (variantStarts[product] + variant) * locationCount + slot - 2
        default:
            return nil
        }
    }

    /// When the seeded object at `index` was last updated.
    func updatedAt(_ resource: ShopifyResource, _ index: Int) -> Int64 {
        switch resource {
        case .products: productUpdatedAt(index)
        case .customers: created(index) + Int64(draw(customerDraws + 3 * index + 2) % Self.updateWindow)
        case .orders, .fulfillmentOrders: created(index) + Int64(draw(orderDraws[index] + 3 + 2 * lines(ofOrder: index)) % Self.updateWindow)
        case .inventoryLevels: productUpdatedAt(variantPlace(index / locationCount).product)
        default: 0
        }
    }

    /// No seeded object was updated after this.
    var latestUpdate: Int64 {
        Self.start + Int64(max(volume - 1, 0)) * step + Int64(Self.updateWindow)
    }

    /// The product whose variant has this id (as `variant`) or owns this inventory item (as
    /// `item`), and the variant's position.
    func product(owning id: Int64, as kind: VariantKey) -> (product: Int, variant: Int)? {
        guard let (product, variant, slot) = productSlot(id), slot == kind.rawValue else { return nil }
        return (product, variant)
    }

    enum VariantKey: Int {
        case variant = 0
        case item = 1
    }

    /// The level keys of a seeded inventory item, by location id.
    func levelKeys(ofItem item: Int64) -> [Int64: Int64]? {
        guard product(owning: item, as: .item) != nil else { return nil }
        var keys: [Int64: Int64] = [:]
        for (offset, location) in blank[.locations].ids.enumerated() { keys[location] = item + 1 + Int64(offset) }
        return keys
    }

    /// The id of the email's seeded customer, if the email has the shape seeded emails have
    /// (`first.last.N@example.com`); whether that customer still has it is the shop's to check.
    func customerIndex(email: String) -> Int? {
        guard email.hasSuffix("@example.com"), let number = email.dropLast("@example.com".count).split(separator: ".").last.flatMap({ Int($0) }),
            number >= 1, number <= volume
        else { return nil }
        return number - 1
    }

    func variantID(_ product: Int, _ variant: Int) -> Int64 {
        productIDs[product] + 1 + Int64(variant) * Int64(2 + locationCount)
    }

    // MARK: The objects

    func object(_ resource: ShopifyResource, _ index: Int) -> JSONObject? {
        switch resource {
        case .products: product(index)
        case .customers: customer(index)
        case .orders: order(index).order
        case .fulfillmentOrders: order(index).fulfillmentOrder
        case .inventoryLevels: level(index)
        default: nil
        }
    }

    func created(_ index: Int) -> Int64 {
        Self.start + Int64(index) * step
    }

    func product(_ index: Int) -> JSONObject? {
        var generator = SeededGenerator(seed: generatorSeed, skipping: productDraws[index])
        let updated = created(index) + Int64(generator.next() % Self.updateWindow)
        let title = Self.title(index, &generator)
        let variantCount = 1 + Int(generator.next() % 3)
        let fields: JSONObject = [
            "title": .string(title), "vendor": .string(Self.vendors[index % Self.vendors.count]),
            "product_type": .string(Self.nouns[index % Self.nouns.count]), "tags": .string(index % 2 == 0 ? "seeded, sale" : "seeded"),
            "body_html": .string("<p>\(title), seeded product \(index + 1).</p>"),
            "variants": .array(
                (0..<variantCount).map { variant in
                    .object([
                        "title": .string(Self.variantNames[variant]), "option1": .string(Self.variantNames[variant]),
                        "sku": .string(Self.sku(index, variant)), "price": .number(Self.price(&generator)),
                    ])
                }
            ),
        ]
        let stock = Int64(generator.next() % 100)
        var shop = blank
        shop.nextID = productIDs[index]
        guard let (product, _) = try? shop.createProduct(fields, at: updated, stock: { _ in stock }) else { return nil }
        return Self.backdated(product, to: created(index))
    }

    func customer(_ index: Int) -> JSONObject? {
        var generator = SeededGenerator(seed: generatorSeed, skipping: customerDraws + 3 * index)
        let first = Self.firstNames[Int(generator.next() % UInt64(Self.firstNames.count))]
        let last = Self.lastNames[Int(generator.next() % UInt64(Self.lastNames.count))]
        let fields: JSONObject = [
            "first_name": .string(first), "last_name": .string(last),
            "email": .string("\(first.lowercased()).\(last.lowercased()).\(index + 1)@example.com"),
            "phone": .string("+1613555\(String(format: "%04d", index % 10_000))"), "tags": .string("seeded"),
            "addresses": .array([.object(["address1": .string("\(index + 1) Elm St"), "city": "Ottawa", "country_code": "CA", "zip": "K1A 0B1"])]),
        ]
        var shop = blank
        shop.nextID = id(.customers, index)
        guard let (customer, _) = try? shop.createCustomer(fields, at: created(index) + Int64(generator.next() % Self.updateWindow)) else {
            return nil
        }
        return Self.backdated(customer, to: created(index))
    }

    /// An order and its fulfillment order, created in a blank shop that holds what the order
    /// refers to (the products of its variants, its customer) as they were when it was seeded.
    func order(_ index: Int) -> (order: JSONObject?, fulfillmentOrder: JSONObject?) {
        var generator = SeededGenerator(seed: generatorSeed, skipping: orderDraws[index])
        var shop = blank
        let variants = variantStarts[variantStarts.count - 1]
        let lines: [JSONValue] = (0..<(1 + Int(generator.next() % 3))).map { _ in
            let (product, variant) = variantPlace(Int(generator.next() % UInt64(variants)))
            let variantKey = self.variantID(product, variant)
            if shop[.products][productIDs[product]] == nil {
                shop.store(.products, productIDs[product], lineItemProduct(product), at: Self.start)
            }
            shop.variantProducts[variantKey] = productIDs[product]
            return .object(["variant_id": .int(variantKey), "quantity": .int(Int64(1 + generator.next() % 4))])
        }
        let customer = Int(generator.next() % UInt64(volume))
        if let object = self.customer(customer) { shop.store(.customers, id(.customers, customer), object, at: Self.start) }
        var fields: JSONObject = [
            "line_items": .array(lines), "customer": .object(["id": .int(id(.customers, customer))]),
            "total_tax": .number(Double(generator.next() % 2_000) / 100), "tags": .string("seeded"),
        ]
        let created = created(index)
        switch index % 20 {
        case 0: fields["closed_at"] = .string(ShopifyTimestamp.string(created + 86_400))
        case 1:
            fields["cancelled_at"] = .string(ShopifyTimestamp.string(created + 3_600))
            fields["financial_status"] = "refunded"
        default: break
        }
        shop.nextID = orderIDs[index]
        shop.nextOrderNumber = 1001 + Int64(index)
        guard let (order, _) = try? shop.createOrder(fields, at: created + Int64(generator.next() % Self.updateWindow)) else { return (nil, nil) }
        return (Self.backdated(order, to: created), shop[.fulfillmentOrders][id(.fulfillmentOrders, index)])
    }

    /// What an order's line items read of a product (its id and title, its variants' ids,
    /// titles, skus, prices and inventory items), without creating it whole.
    private func lineItemProduct(_ index: Int) -> JSONObject {
        var generator = SeededGenerator(seed: generatorSeed, skipping: productDraws[index] + 1)
        let title = Self.title(index, &generator)
        _ = generator.next()
        let variants: [JSONValue] = (0..<(variantStarts[index + 1] - variantStarts[index])).map { variant in
            let id = variantID(index, variant)
            return .object([
                "id": .int(id), "title": .string(Self.variantNames[variant]), "sku": .string(Self.sku(index, variant)),
                "price": .money(Self.price(&generator)), "inventory_item_id": .int(id + 1),
            ])
        }
        return ["id": .int(productIDs[index]), "title": .string(title), "variants": .array(variants)]
    }

    private static func title(_ index: Int, _ generator: inout SeededGenerator) -> String {
        "\(adjectives[Int(generator.next() % 10)]) \(nouns[Int(generator.next() % 10)]) \(index + 1)"
    }

    private static func sku(_ index: Int, _ variant: Int) -> String {
        "SKU-\(index + 1)-\(variant + 1)"
    }

    private static func price(_ generator: inout SeededGenerator) -> Double {
        Double(500 + generator.next() % 20_000) / 100
    }

    func level(_ index: Int) -> JSONObject {
        let (product, variant) = variantPlace(index / locationCount)
        let slot = index % locationCount
        var generator = SeededGenerator(
            seed: generatorSeed,
            skipping: productDraws[product] + 4 + variantStarts[product + 1] - variantStarts[product]
        )
        let stock = slot == 0 ? Int64(generator.next() % 100) : 0
        return ShopifyShop.level(
            item: variantID(product, variant) + 1,
            location: blank[.locations].ids[slot],
            available: stock,
            at: productUpdatedAt(product)
        )
    }

    // MARK: Helpers

    private func draw(_ offset: Int) -> UInt64 {
        var generator = SeededGenerator(seed: generatorSeed, skipping: offset)
        return generator.next()
    }

    private func productUpdatedAt(_ index: Int) -> Int64 {
        created(index) + Int64(draw(productDraws[index]) % Self.updateWindow)
    }

    private func lines(ofOrder index: Int) -> Int {
        Int(orderIDs[index + 1] - orderIDs[index] - 2) / 2
    }

    /// The product and position of the variant at a global index (all variants in product order).
    private func variantPlace(_ global: Int) -> (product: Int, variant: Int) {
        let product = (Self.last(atMost: global, in: variantStarts.dropLast()) ?? 0)
        return (product, global - variantStarts[product])
    }

    /// For an id in a product's block: the product, the variant, and the id's slot among the
    /// variant's ids (0 the variant, 1 its inventory item, 2… its level keys).
    private func productSlot(_ id: Int64) -> (product: Int, variant: Int, slot: Int)? {
        guard let product = Self.last(atMost: id, in: productIDs[...]) else { return nil }
        let offset = id - productIDs[product] - 1
        let size = Int64(2 + locationCount)
        let variants = Int64(variantStarts[product + 1] - variantStarts[product])
        guard offset >= 0, offset < variants * size else { return nil }
        return (product, Int(offset / size), Int(offset % size))
    }

    private static func backdated(_ object: JSONObject, to created: Int64) -> JSONObject {
        var copy = object
        copy["created_at"] = .string(ShopifyTimestamp.string(created))
        return copy
    }

    /// The index of `value` in an ascending array, or nil.
    private static func find(_ value: Int64, in sorted: ArraySlice<Int64>) -> Int? {
        guard let index = last(atMost: value, in: sorted), sorted[index] == value else { return nil }
        return index
    }

    private static func find(_ value: Int64, in sorted: [Int64]) -> Int? {
        find(value, in: sorted[...])
    }

    /// The last index whose value is at most `value` in an ascending array, or nil.
    private static func last<T: Comparable>(atMost value: T, in sorted: ArraySlice<T>) -> Int? {
        var low = sorted.startIndex
        var high = sorted.endIndex
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low > sorted.startIndex ? low - 1 : nil
    }
}
