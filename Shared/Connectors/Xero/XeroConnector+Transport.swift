import Foundation
import HubCore
import NIOHTTP1

/// One Accounting API call through the shared transport: the bearer token and the connection's
/// `xero-tenant-id` on every call, JSON in and out, Xero's errors classified.
extension XeroConnector {
    /// Sends one call and returns the decoded body (`{}` for an empty one) with the response.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        headers extra: [(String, String)] = [],
        body: JSONValue? = nil,
        entity: String,
        id: String? = nil,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> (json: JSONValue, response: ProviderResponse) {
        let request = ProviderRequest.bearerJSON(
            method,
            url: "\(context.baseURL)/api.xro/2.0/\(path)",
            query: query,
            token: try context.credential("access_token"),
            headers: [("xero-tenant-id", try context.credential("tenant_id"))] + extra,
            body: body,
            isIdempotent: isIdempotent
        )
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            XeroErrorMapper.classify(response, entity: entity, id: id)
        }
        guard !response.body.isEmpty else { return (.object([:]), response) }
        guard let json = JSONReader.parse(response.body) else { throw .invalidResponse("Xero sent a body that is not JSON") }
        return (json, response)
    }

    /// The objects of a list or write answer (`{"Invoices": […]}`).
    static func objects(_ json: JSONValue, _ resource: String) throws(ConnectorError) -> [[String: JSONValue]] {
        guard let items = json[resource]?.arrayValue else { throw .invalidResponse("Xero's answer has no '\(resource)' list") }
        return items.compactMap(\.objectValue)
    }

    /// A record from one Xero object: its id and `UpdatedDateUTC`.
    static func record(_ object: [String: JSONValue], route: XeroEntityRoute) -> ProviderRecord {
        ProviderRecord(
            externalID: object[route.idField]?.idText ?? "",
            updatedAt: object["UpdatedDateUTC"]?.stringValue.flatMap(MicrosoftJSONDate.unix).map { Date(timeIntervalSince1970: $0) },
            payload: .object(object)
        )
    }

    /// An id as one path segment: Xero's ids are UUIDs (tax rates' are their tax type), so
    /// anything else could address another path and is refused rather than escaped.
    static func pathComponent(_ id: String, entity: String) throws(ConnectorError) -> String {
        guard !id.isEmpty, id.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
        else { throw .notFound(entity: entity, id: id) }
        return id
    }

    func route(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> XeroEntityRoute {
        _ = try entityDefinition(entity, allowing: operation)
        guard let route = XeroEntityRoute.route(for: entity) else { throw .unsupported("the Xero connector has no route for \(entity)") }
        return route
    }
}
