import Foundation
import HubCore
import NIOHTTP1

/// One Admin REST call through the shared transport: the shop's URL, the access token header,
/// JSON in and out, and Shopify's errors classified.
extension ShopifyConnector {
    /// `https://{shop}/admin/api/<version>` for this connection, after checking the shop domain
    /// against the definition's pattern so a crafted value cannot point the token elsewhere.
    func apiBase() throws(ConnectorError) -> String {
        let shop = try context.credential("shop_domain").lowercased()
        let field = Self.definition.auth.credentialFields.first { $0.name == "shop_domain" }
        guard field?.accepts(shop) ?? false else {
            throw .authenticationFailed("the shop_domain credential is not a myshopify.com domain")
        }
        let base = context.baseURL.contains("{shop}") ? context.baseURL.replacingOccurrences(of: "{shop}", with: shop) : context.baseURL
        return "\(base)/admin/api/\(Self.apiVersion)"
    }

    /// Sends one call and returns the decoded body (`{}` for an empty one) with the response.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        entity: String,
        id: String? = nil
    ) async throws(ConnectorError) -> (json: JSONValue, response: ProviderResponse) {
        let url = ProviderRequest.withQuery(try "\(apiBase())/\(path)", query)
        var headers: HTTPHeaders = ["X-Shopify-Access-Token": try context.credential("access_token"), "Accept": "application/json"]
        var bytes: [UInt8]?
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            do { bytes = Array(try JSONEncoder().encode(body)) } catch {
                throw .validation(message: "the fields cannot be encoded as JSON", field: nil)
            }
        }
        // Reads and updates repeat safely; a create does not (Shopify has no idempotency keys).
        let request = ProviderRequest(method: method, url: url, headers: headers, body: bytes, isIdempotent: method != .POST)
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            ShopifyErrorMapper.classify(response, entity: entity, id: id)
        }
        guard !response.body.isEmpty else { return (.object([:]), response) }
        do {
            return (try JSONDecoder().decode(JSONValue.self, from: Data(response.body)), response)
        } catch {
            throw .invalidResponse("Shopify sent a body that is not JSON")
        }
    }

    /// The object wrapped as `{"product": {…}}` in a response.
    static func unwrap(_ json: JSONValue, _ key: String) throws(ConnectorError) -> [String: JSONValue] {
        guard case .object(let outer) = json, case .object(let inner)? = outer[key] else {
            throw .invalidResponse("Shopify's answer has no '\(key)' object")
        }
        return inner
    }

    /// The records of a list body (`{"products": […]}`).
    static func objects(_ json: JSONValue, _ key: String) throws(ConnectorError) -> [[String: JSONValue]] {
        guard case .object(let outer) = json, case .array(let items)? = outer[key] else {
            throw .invalidResponse("Shopify's answer has no '\(key)' list")
        }
        return items.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }

    /// A record from one Shopify object: its id (exact, not as a floating-point number) and
    /// `updated_at` read with its UTC offset.
    static func record(_ object: [String: JSONValue], id: String? = nil) -> ProviderRecord {
        ProviderRecord(externalID: id ?? object["id"]?.idText ?? "", updatedAt: date(object["updated_at"]), payload: .object(object))
    }

    /// A record from one inventory level, which has no id of its own: Shopify names a level by
    /// its item and location, and so does its external id (`ShopifyWire.levelID`).
    static func levelRecord(_ level: [String: JSONValue]) -> ProviderRecord {
        record(level, id: ShopifyWire.levelID(item: level["inventory_item_id"]?.idText ?? "", location: level["location_id"]?.idText ?? ""))
    }

    static func date(_ value: JSONValue?) -> Date? {
        guard case .string(let text)? = value else { return nil }
        return try? Date(text, strategy: .iso8601)
    }
}
