import Foundation
import HubCore

/// The filters of a listing, parsed once from the first request's parameters (or the
/// `page_info` that carries them).
struct ShopifyListQuery: Sendable {
    var resource: ShopifyResource
    var updatedAtMin: Int64?
    var sinceID: Int64?
    var ids: Set<Int64>?
    var status = "open"
    var locationIDs: Set<Int64>?
    var inventoryItemIDs: Set<Int64>?

    init(resource: ShopifyResource, filters: [String: String]) throws(ShopifyAPIError) {
        self.resource = resource
        if let raw = filters["updated_at_min"] {
            guard let time = ShopifyTimestamp.parse(raw) else { throw .badRequest("updated_at_min", "Invalid value.") }
            updatedAtMin = time
        }
        if let raw = filters["since_id"] {
            guard let id = Int64(raw) else { throw .badRequest("since_id", "Invalid value.") }
            sinceID = id
        }
        ids = try Self.idSet(filters["ids"], "ids")
        if resource == .orders, let raw = filters["status"] {
            guard ["open", "closed", "cancelled", "any"].contains(raw) else { throw .badRequest("status", "Invalid value.") }
            status = raw
        }
        if resource == .inventoryLevels {
            locationIDs = try Self.idSet(filters["location_ids"], "location_ids")
            inventoryItemIDs = try Self.idSet(filters["inventory_item_ids"], "inventory_item_ids")
            guard locationIDs != nil || inventoryItemIDs != nil else {
                throw ShopifyAPIError(status: .unprocessableContent, errors: .string("Must specify inventory_item_ids or location_ids"))
            }
        }
    }

    func matches(_ object: JSONObject) -> Bool {
        if resource == .orders, !ShopifyShop.order(object, hasStatus: status) { return false }
        if let locationIDs, !locationIDs.contains(object["location_id"]?.int64 ?? 0) { return false }
        if let inventoryItemIDs, !inventoryItemIDs.contains(object["inventory_item_id"]?.int64 ?? 0) { return false }
        return true
    }

    /// The keys to page through when the filter names them (`ids`, `inventory_item_ids`), so the
    /// page never scans the whole collection; nil to scan in id order.
    func explicitKeys(in shop: ShopifyShop) -> [Int64]? {
        if resource == .inventoryLevels, let inventoryItemIDs {
            return inventoryItemIDs.flatMap { item in
                (shop.levelKeys(ofItem: item) ?? [:]).compactMap { location, key in locationIDs.map { $0.contains(location) } ?? true ? key : nil }
            }
        }
        return ids.map(Array.init)
    }

    private static func idSet(_ raw: String?, _ name: String) throws(ShopifyAPIError) -> Set<Int64>? {
        guard let raw else { return nil }
        var result = Set<Int64>()
        for part in raw.split(separator: ",") {
            guard let id = Int64(part.trimmingWhitespace()) else { throw .badRequest(name, "Invalid value.") }
            result.insert(id)
        }
        return result
    }
}
