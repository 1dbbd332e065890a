import Synchronization

/// Every emulated shop, behind one lock: requests read and write a shop in short synchronous
/// critical sections (no awaiting inside), so a mutex serves better than an actor hop.
final class ShopifyStore: Sendable {
    private let shops: Mutex<[String: ShopifyShop]>

    init(domains: Set<String>, seed: UInt64, volume: Int) {
        var shops: [String: ShopifyShop] = [:]
        for domain in domains.sorted() {
            let name = domain.split(separator: ".").first.map { $0.split(separator: "-").map(\.capitalized).joined(separator: " ") } ?? domain
            shops[domain] = ShopifyShop(domain: domain, name: name, seed: seed, volume: volume)
        }
        self.shops = Mutex(shops)
    }

    func contains(_ domain: String) -> Bool {
        shops.withLock { $0[domain] != nil }
    }

    /// Runs `body` on the shop named `domain`, or throws 404 as Shopify does for an unknown shop.
    func withShop<Result: Sendable>(_ domain: String, _ body: (inout ShopifyShop) throws -> Result) throws -> Result {
        try shops.withLock { (shops: inout [String: ShopifyShop]) throws -> Result in
            // Taken out while `body` runs, so its collections are mutated in place, not copied.
            guard var shop = shops.removeValue(forKey: domain) else { throw ShopifyAPIError.notFound }
            defer { shops[domain] = shop }
            return try body(&shop)
        }
    }
}
