import Foundation
import HubCore

/// What seeding a provider at a volume costs: the time to make its seeded account (for Plaid,
/// to link one Item, whose transactions are its seeded data), then the time to read every seeded
/// record once, page by page, as a sync would (the pages encoded as the API sends them), and the
/// process's resident memory after each. `provider-sandbox seed-benchmark` runs it, one process
/// per provider so each peak is its own.
public enum SeedBenchmark {
    public static let providers = ["stripe", "shopify", "plaid"]

    public struct Figures: Sendable, Codable {
        public var provider: String
        public var volume: Int
        public var seedSeconds: Double
        /// Resident memory after seeding, and the peak over the whole run (nil where the system
        /// does not say: Linux's `/proc/self/status` is read).
        public var seededRSSBytes: Int?
        public var readSeconds: Double?
        /// Records read and the bytes of the pages they came in.
        public var readRecords: Int?
        public var readBytes: Int?
        public var peakRSSBytes: Int?
    }

    public static func run(provider: String, volume: Int, seed: UInt64, read: Bool) throws -> Figures {
        var configuration = SandboxConfiguration()
        configuration.volume = volume
        configuration.seed = seed
        let clock = ContinuousClock()
        let reader: () throws -> (records: Int, bytes: Int)
        let start = clock.now
        switch provider {
        case "stripe":
            let store = StripeStore(seed: seed, volume: volume)
            reader = { try readStripe(store) }
        case "shopify":
            let shopify = ShopifyProvider(configuration: configuration, webhooks: WebhookDispatcher())
            let shop = configuration.secrets.shopifyShops.sorted().first ?? ""
            reader = { try readShopify(shopify.store, shop: shop) }
        case "plaid":
            let store = PlaidStore(seed: seed, volume: volume)
            let token = try store.exchange(store.createPublicToken(institutionID: "ins_109508", webhook: nil)).accessToken
            reader = { try readPlaid(store, token: token) }
        default:
            throw BenchmarkError.unknownProvider(provider)
        }
        var figures = Figures(provider: provider, volume: volume, seedSeconds: (clock.now - start).inSeconds, seededRSSBytes: memory("VmRSS"))
        if read {
            let readStart = clock.now
            let (records, bytes) = try reader()
            figures.readSeconds = (clock.now - readStart).inSeconds
            figures.readRecords = records
            figures.readBytes = bytes
        }
        figures.peakRSSBytes = memory("VmHWM")
        return figures
    }

    public enum BenchmarkError: Error, CustomStringConvertible {
        case unknownProvider(String)

        public var description: String {
            switch self {
            case .unknownProvider(let name): "no provider '\(name)' (one of \(providers.joined(separator: ", ")))"
            }
        }
    }

    /// Every seeded kind, 100 a page, each page after the last id of the one before (found in
    /// the page's bytes: the read measures the sandbox, not a client's parsing).
    static func readStripe(_ store: StripeStore) throws -> (records: Int, bytes: Int) {
        var records = 0
        var bytes = 0
        let kinds: [StripeResource] = [
            .customers, .products, .prices, .invoices, .paymentIntents, .charges, .subscriptions, .payouts, .balanceTransactions,
        ]
        for resource in kinds {
            var params: JSONObject = ["limit": "100"]
            while true {
                let page = try store.list(resource, params: params)
                bytes += page.count
                let ids = topLevelIDs(page, object: resource.object)
                records += ids.count
                guard let last = ids.last, page.suffix(400).firstRange(of: Array(#""has_more":true"#.utf8)) != nil else { break }
                params["starting_after"] = .string(last)
            }
        }
        return (records, bytes)
    }

    /// The ids of a list page's objects: each starts `{"id":"…","object":"<object>"`.
    static func topLevelIDs(_ page: [UInt8], object: String) -> [String] {
        let marker = Array(#"{"id":""#.utf8)
        let kind = Array(#"","object":"\#(object)""#.utf8)
        return page.withUnsafeBufferPointer { bytes in
            var ids: [String] = []
            var index = 0
            while index + marker.count < bytes.count {
                guard bytes[index] == marker[0], bytes[index..<index + marker.count].elementsEqual(marker) else {
                    index += 1
                    continue
                }
                let start = index + marker.count
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                if end + kind.count <= bytes.count, bytes[end..<end + kind.count].elementsEqual(kind) {
                    ids.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                }
                index = end
            }
            return ids
        }
    }

    /// Products, customers, orders (any status), and each location's inventory levels, 250 a
    /// page, each page encoded as the Admin API sends it.
    static func readShopify(_ store: ShopifyStore, shop: String) throws -> (records: Int, bytes: Int) {
        var records = 0
        var bytes = 0
        let locations = try store.withShop(shop) { $0[.locations].ids }
        let listings: [(ShopifyResource, Int64?)] = [(.products, nil), (.customers, nil), (.orders, nil)] + locations.map { (.inventoryLevels, $0) }
        for (resource, location) in listings {
            var after: Int64?
            while true {
                let page = try store.withShop(shop) { shop in
                    shop[resource].page(after: after, limit: 250) { location == nil || $0["location_id"]?.int64 == location }
                }
                bytes += JSONValue.object([resource.rawValue: .array(page.objects.map(JSONValue.object))]).encoded().count
                records += page.objects.count
                guard page.more, let last = page.ids.last else { break }
                after = last
            }
        }
        return (records, bytes)
    }

    /// `/transactions/sync` from the start, 500 changes a page.
    static func readPlaid(_ store: PlaidStore, token: String) throws -> (records: Int, bytes: Int) {
        var records = 0
        var bytes = 0
        let total = try store.withItem(token: token) { $0.changeCount }
        for position in stride(from: 0, to: total, by: 500) {
            let (count, size) = try store.withItem(token: token) { item in
                let stop = min(position + 500, total)
                let changes = item.changes(in: position..<stop)
                let cursor = PlaidSyncCursor(itemID: item.id, position: stop, end: total).encoded
                let body = PlaidResponses.Sync(
                    added: changes.added,
                    modified: changes.modified,
                    removed: [],
                    nextCursor: cursor,
                    hasMore: stop < total,
                    accounts: item.accounts
                )
                return (changes.added.count + changes.modified.count, JSONBody.encode(body).count)
            }
            records += count
            bytes += size
        }
        return (records, bytes)
    }

    /// A `/proc/self/status` figure (`VmRSS`, `VmHWM`) in bytes.
    static func memory(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
