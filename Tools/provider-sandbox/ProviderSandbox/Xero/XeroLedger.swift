import Foundation
import HubCore

/// One Xero organisation (tenant): its collections, each seeded when first touched, the answers
/// kept for idempotency keys, and a clock that never repeats a millisecond, so every change has
/// its own `UpdatedDateUTC`.
struct XeroLedger: Sendable {
    let tenantID: String
    let volume: Int
    private var collections: [String: XeroCollection] = [:]
    /// `Idempotency-Key` → what was asked and answered.
    var idempotency: [String: XeroIdempotentAnswer] = [:]
    private var lastStamp: Int64 = 0

    init(tenantID: String, volume: Int) {
        self.tenantID = tenantID
        self.volume = volume
    }

    /// Runs `body` on a resource's collection, seeding it first if this is its first use.
    mutating func withCollection<Result>(_ resource: XeroResource, _ body: (inout XeroCollection) throws -> Result) rethrows -> Result {
        var collection = collections.removeValue(forKey: resource.name) ?? XeroCollection(resource: resource, volume: volume)
        defer { collections[resource.name] = collection }
        return try body(&collection)
    }

    /// A fresh change time: now, or one millisecond after the previous change.
    mutating func stamp(_ now: Date = Date()) -> Int64 {
        lastStamp = max(XeroTimestamp.milliseconds(now), lastStamp + 1)
        return lastStamp
    }

    mutating func list(_ resource: XeroResource, _ query: XeroListQuery) -> (objects: [JSONObject], pagination: JSONObject?) {
        withCollection(resource) { $0.list(query, resource: resource) }
    }

    mutating func object(_ resource: XeroResource, id: String) -> JSONObject? {
        withCollection(resource) { $0.object(id) }
    }
}

/// A kept answer: the request it answered (method, path and body) and the response.
struct XeroIdempotentAnswer: Sendable {
    var request: [UInt8]
    var status: Int
    var body: [UInt8]
}
