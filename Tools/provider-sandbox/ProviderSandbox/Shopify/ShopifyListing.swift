import Foundation
import HubCore
import Hummingbird

/// One `GET {resource}.json`: reads `limit` (default 50, at most 250), `fields` and `page_info`,
/// or on a first request the filters (`updated_at_min`, `since_id`, `ids`, orders' `status`,
/// inventory levels' `location_ids` / `inventory_item_ids`), and answers the page with the `Link`
/// header. Filters sent beside `page_info` are refused with 400, as Shopify does.
struct ShopifyListing {
    let resource: ShopifyResource
    let request: Request

    static let pagingParameters: Set<String> = ["limit", "fields", "page_info"]

    func reply(from store: ShopifyStore, shop: String) throws -> ShopifyReply {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        var limit = 50
        if let raw = parameters["limit"] {
            guard let value = Int(raw), value >= 1 else { throw ShopifyAPIError.badRequest("limit", "Invalid value.") }
            limit = min(value, 250)
        }
        var page = ShopifyPageInfo(direction: .next, anchor: 0, filters: parameters.filter { !Self.pagingParameters.contains($0.key) })
        var resumed = false
        if let raw = parameters["page_info"] {
            let extra = parameters.keys.filter { !Self.pagingParameters.contains($0) }.sorted()
            guard extra.isEmpty else {
                throw ShopifyAPIError.badRequest(
                    "page_info",
                    "Invalid value: parameters \(extra.joined(separator: ", ")) cannot be passed with page_info."
                )
            }
            guard let decoded = ShopifyPageInfo(raw) else { throw ShopifyAPIError.badRequest("page_info", "Invalid value.") }
            page = decoded
            resumed = true
        }
        let query = try ShopifyListQuery(resource: resource, filters: page.filters)
        let anchor: Int64? = resumed ? page.anchor : query.sinceID
        let result = try store.withShop(shop) { shop in
            let keys = query.explicitKeys(in: shop)
            let collection = shop[resource]
            if let keys {
                return Self.page(of: keys, in: collection, direction: page.direction, anchor: anchor, limit: limit, query: query)
            }
            return collection.page(
                after: page.direction == .next ? anchor : nil,
                before: page.direction == .previous ? anchor : nil,
                limit: limit,
                updatedAtMin: query.updatedAtMin,
                where: query.matches
            )
        }
        var reply = ShopifyReply.ok([resource.rawValue: .array(result.objects.map { .object(project($0, parameters["fields"])) })])
        var links: [String] = []
        let hasNext = page.direction == .next ? result.more : resumed
        let hasPrevious = page.direction == .previous ? result.more : resumed
        if hasPrevious, let first = result.ids.first {
            links.append(link(ShopifyPageInfo(direction: .previous, anchor: first, filters: page.filters), limit, parameters["fields"], "previous"))
        }
        if hasNext, let last = result.ids.last {
            links.append(link(ShopifyPageInfo(direction: .next, anchor: last, filters: page.filters), limit, parameters["fields"], "next"))
        }
        if !links.isEmpty { reply.headers[ShopifyHeader.link] = links.joined(separator: ", ") }
        return reply
    }

    /// Pages through an explicit, small set of keys (`ids=`, `inventory_item_ids=`).
    static func page(
        of keys: [Int64],
        in collection: ShopifyCollection,
        direction: ShopifyPageInfo.Direction,
        anchor: Int64?,
        limit: Int,
        query: ShopifyListQuery
    ) -> (objects: [JSONObject], ids: [Int64], more: Bool) {
        var candidates = keys.sorted()
        if direction == .previous { candidates.reverse() }
        var found: [Int64] = []
        for key in candidates {
            if let anchor, direction == .next ? key <= anchor : key >= anchor { continue }
            guard let object = collection[key], query.matches(object) else { continue }
            if let minimum = query.updatedAtMin, (object["updated_at"]?.stringValue.flatMap(ShopifyTimestamp.parse) ?? 0) < minimum { continue }
            found.append(key)
            if found.count > limit { break }
        }
        let more = found.count > limit
        var ids = Array(found.prefix(limit))
        if direction == .previous { ids.reverse() }
        return (ids.compactMap { collection[$0] }, ids, more)
    }

    private func link(_ page: ShopifyPageInfo, _ limit: Int, _ fields: String?, _ relation: String) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        var query = "limit=\(limit)"
        if let fields { query += "&fields=\(fields.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? fields)" }
        return "<http://\(host)\(request.uri.path)?\(query)&page_info=\(page.encoded)>; rel=\"\(relation)\""
    }

    /// Only the requested top-level fields, when `fields=` is given.
    private func project(_ object: JSONObject, _ fields: String?) -> JSONObject {
        guard let fields else { return object }
        let names = Set(fields.split(separator: ",").map { $0.trimmingWhitespace() })
        return object.filter { names.contains($0.key) }
    }
}
