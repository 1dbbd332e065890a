import HubCore

/// Fills a shop with `volume` products, customers and orders from the seed, so every run (and
/// every machine) sees the same ids, names and counts. Two locations stock every variant.
/// Seeded times lie between 2023 and mid-2024, increasing with the object's index.
struct ShopifySeeder {
    let seed: UInt64
    let volume: Int

    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim", "Margaret", "Linus"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Berners-Lee"]
    static let adjectives = ["Classic", "Organic", "Vintage", "Compact", "Deluxe", "Rugged", "Lightweight", "Handmade", "Smart", "Eco"]
    static let nouns = ["Mug", "Backpack", "Lamp", "Notebook", "Jacket", "Sneakers", "Kettle", "Headphones", "Blanket", "Watch"]
    static let vendors = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    static let start: Int64 = 1_672_531_200  // 2023-01-01T00:00:00Z
    static let span: Int64 = 47_000_000  // about 18 months

    func seed(_ shop: inout ShopifyShop) {
        var random = SeededGenerator(seed: seed ^ Self.stableHash(shop.domain))
        shop.seeding = true
        defer { shop.finishSeeding() }
        let at = Self.start
        _ = shop.createLocation(name: "Main Warehouse", address: ["address1": "1 Main St", "city": "Ottawa", "zip": "K1A 0B1"], at: at)
        _ = shop.createLocation(name: "Downtown Store", address: ["address1": "200 Queen St", "city": "Toronto", "zip": "M5H 2N2"], at: at)
        let step = max(1, Self.span / Int64(max(volume, 1)))
        var variants: [(id: Int64, price: Double)] = []
        for index in 0..<volume {
            let created = Self.start + Int64(index) * step
            let updated = created + Int64(random.next() % 259_200)
            let title = "\(Self.adjectives[Int(random.next() % 10)]) \(Self.nouns[Int(random.next() % 10)]) \(index + 1)"
            let variantCount = 1 + Int(random.next() % 3)
            let fields: JSONObject = [
                "title": .string(title), "vendor": .string(Self.vendors[index % Self.vendors.count]),
                "product_type": .string(Self.nouns[index % Self.nouns.count]), "tags": .string(index % 2 == 0 ? "seeded, sale" : "seeded"),
                "body_html": .string("<p>\(title), seeded product \(index + 1).</p>"),
                "variants": .array((0..<variantCount).map { variant in
                    .object([
                        "title": .string(["Small", "Medium", "Large"][variant]), "option1": .string(["Small", "Medium", "Large"][variant]),
                        "sku": .string("SKU-\(index + 1)-\(variant + 1)"), "price": .number(Double(500 + random.next() % 20_000) / 100),
                    ])
                }),
            ]
            let stock = Int64(random.next() % 100)
            guard let (product, _) = try? shop.createProduct(fields, at: updated, stock: { _ in stock }) else { continue }
            backdate(.products, product, to: created, in: &shop)
            for variant in product["variants"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
                if let id = variant["id"]?.int64 { variants.append((id, variant["price"]?.decimal ?? 0)) }
            }
        }
        var customers: [Int64] = []
        for index in 0..<volume {
            let created = Self.start + Int64(index) * step
            let first = Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]
            let last = Self.lastNames[Int(random.next() % UInt64(Self.lastNames.count))]
            let fields: JSONObject = [
                "first_name": .string(first), "last_name": .string(last),
                "email": .string("\(first.lowercased()).\(last.lowercased()).\(index + 1)@example.com"),
                "phone": .string("+1613555\(String(format: "%04d", index % 10_000))"), "tags": .string("seeded"),
                "addresses": .array([.object(["address1": .string("\(index + 1) Elm St"), "city": "Ottawa", "country_code": "CA", "zip": "K1A 0B1"])]),
            ]
            guard let (customer, _) = try? shop.createCustomer(fields, at: created + Int64(random.next() % 259_200)) else { continue }
            backdate(.customers, customer, to: created, in: &shop)
            if let id = customer["id"]?.int64 { customers.append(id) }
        }
        guard !variants.isEmpty, !customers.isEmpty else { return }
        for index in 0..<volume {
            let created = Self.start + Int64(index) * step
            let lines: [JSONValue] = (0..<(1 + Int(random.next() % 3))).map { _ in
                .object(["variant_id": .int(variants[Int(random.next() % UInt64(variants.count))].id), "quantity": .int(Int64(1 + random.next() % 4))])
            }
            var fields: JSONObject = [
                "line_items": .array(lines), "customer": .object(["id": .int(customers[Int(random.next() % UInt64(customers.count))])]),
                "total_tax": .number(Double(random.next() % 2_000) / 100), "tags": .string("seeded"),
            ]
            switch index % 20 {
            case 0: fields["closed_at"] = .string(ShopifyTimestamp.string(created + 86_400))
            case 1: fields["cancelled_at"] = .string(ShopifyTimestamp.string(created + 3_600)); fields["financial_status"] = "refunded"
            default: break
            }
            guard let (order, _) = try? shop.createOrder(fields, at: created + Int64(random.next() % 259_200)) else { continue }
            backdate(.orders, order, to: created, in: &shop)
        }
    }

    /// FNV-1a of the shop domain: the same in every process (Swift's `hashValue` is randomly seeded).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// Seeded objects were created before their last update.
    private func backdate(_ resource: ShopifyResource, _ object: JSONObject, to created: Int64, in shop: inout ShopifyShop) {
        guard let id = object["id"]?.int64 else { return }
        var copy = object
        copy["created_at"] = .string(ShopifyTimestamp.string(created))
        shop.collections[resource]?.amend(id, copy)
    }
}
