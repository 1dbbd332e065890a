import Foundation
import HubCore

/// Listing with Shopify's own pagination: the first request carries the filters, every later
/// one only `limit` and the `page_info` from the previous page's `Link` header.
///
/// Incremental listings use `updated_at_min`, so they see created and updated objects. Shopify's
/// REST API has no "deleted since" query: deletions reach the hub only through the
/// `products/delete`, `customers/delete` and `orders/delete` webhooks (or a full re-listing), so
/// `deletedIDs` is always empty here.
extension ShopifyConnector {
    /// How far before the first page's server time a listing's checkpoint lies: writes in flight
    /// while the first page was read, and Shopify's one-second timestamps, fall inside it.
    static let checkpointOverlap: TimeInterval = 5

    public func list(_ request: ListRequest) async throws(ConnectorError) -> RecordPage {
        let definition = try entityDefinition(request.entity, allowing: .read)
        let limit = min(max(request.pageSize, 1), 250)
        var query: [(String, String)] = [("limit", String(limit))]
        let resumed = try request.cursor.map { cursor throws(ConnectorError) in try ShopifyListCursor(encoded: cursor) }
        if let resumed {
            query.append(("page_info", resumed.pageInfo))
            // `fields` is the one option Shopify lets a page_info request repeat.
            if request.entity == "fulfillments" { query.append(("fields", "id,fulfillments")) }
        } else {
            query += try await firstPageFilters(request, incremental: definition.incremental)
        }
        let path = request.entity == "fulfillments" ? "orders.json" : "\(request.entity).json"
        let (json, response) = try await call(.GET, path, query: query, entity: request.entity)
        let records = try Self.records(json, entity: request.entity)
        let checkpoint = definition.incremental ? (resumed?.checkpoint ?? Self.checkpoint(serverDate: response.headers.first(name: "Date"))) : nil
        let next = ShopifyLinkHeader(response.headers.first(name: "Link")).next
        return RecordPage(
            records: records,
            deletedIDs: [],
            nextCursor: next.map { ShopifyListCursor(pageInfo: $0, checkpoint: checkpoint).encoded },
            checkpoint: next == nil ? checkpoint : nil
        )
    }

    /// The filters only a first page may carry: `updated_at_min` from the checkpoint, all order
    /// statuses, inventory levels at every location, fulfillments through their orders.
    private func firstPageFilters(_ request: ListRequest, incremental: Bool) async throws(ConnectorError) -> [(String, String)] {
        var query: [(String, String)] = []
        if incremental, let since = request.since {
            guard (try? Date(since, strategy: .iso8601)) != nil else {
                throw .validation(message: "the checkpoint '\(since)' is not an ISO 8601 time", field: "since")
            }
            query.append(("updated_at_min", since))
        }
        switch request.entity {
        case "orders":
            query.append(("status", "any"))
        case "fulfillments":
            query += [("status", "any"), ("fields", "id,fulfillments")]
        case "inventory_levels":
            let (json, _) = try await call(.GET, "locations.json", query: [("limit", "250")], entity: "locations")
            let ids = try Self.objects(json, "locations").compactMap { $0["id"]?.idText }
            query.append(("location_ids", ids.joined(separator: ",")))
        default:
            break
        }
        return query
    }

    static func records(_ json: JSONValue, entity: String) throws(ConnectorError) -> [ProviderRecord] {
        switch entity {
        case "fulfillments":
            return try objects(json, "orders").flatMap { order -> [ProviderRecord] in
                guard case .array(let fulfillments)? = order["fulfillments"] else { return [] }
                return fulfillments.compactMap { if case .object(let object) = $0 { record(object) } else { nil } }
            }
        case "inventory_levels":
            return try objects(json, entity).map(levelRecord)
        default:
            return try objects(json, entity).map { record($0) }
        }
    }

    /// The checkpoint of a listing whose first page the server answered at `serverDate` (the
    /// `Date` header; the local clock if absent), so a skewed local clock cannot skip changes.
    static func checkpoint(serverDate: String?, now: Date = Date()) -> String {
        let start = serverDate.flatMap(HTTPDate.parse) ?? now
        return start.addingTimeInterval(-checkpointOverlap).formatted(.iso8601)
    }
}
