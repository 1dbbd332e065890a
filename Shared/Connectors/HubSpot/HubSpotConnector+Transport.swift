import Foundation
import HubCore
import NIOHTTP1

/// One CRM API call through the shared transport: the bearer token, JSON in and out, HubSpot's
/// errors classified.
extension HubSpotConnector {
    /// Sends one call and returns the decoded body (`{}` for an empty one, as archive's 204).
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        entity: String,
        id: String? = nil,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> (json: JSONValue, response: ProviderResponse) {
        let request = ProviderRequest.bearerJSON(
            method,
            url: "\(context.baseURL)/\(path)",
            query: query,
            token: try context.credential("access_token"),
            body: body,
            isIdempotent: isIdempotent
        )
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            HubSpotErrorMapper.classify(response, entity: entity, id: id)
        }
        guard !response.body.isEmpty else { return (.object([:]), response) }
        guard let json = JSONReader.parse(response.body), case .object = json else {
            throw .invalidResponse("HubSpot sent a body that is not a JSON object")
        }
        return (json, response)
    }

    /// The entity's definition, for the operation.
    func object(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> EntityDefinition {
        try entityDefinition(entity, allowing: operation)
    }

    /// A record from one CRM object: its `id` and `updatedAt`, its primary company listed first.
    static func record(_ object: JSONValue) throws(ConnectorError) -> ProviderRecord {
        guard let id = object["id"]?.idText, !id.isEmpty else { throw .invalidResponse("a HubSpot object without an id") }
        let updated = object["updatedAt"]?.stringValue.flatMap(ISOTimestamp.unix(iso:)).map { Date(timeIntervalSince1970: $0) }
        return ProviderRecord(externalID: id, updatedAt: updated, payload: primaryFirst(object))
    }

    /// Whether an `associations.companies.results` entry is a primary company's.
    static func isPrimaryEntry(_ entry: JSONValue) -> Bool {
        ["contact_to_company", "deal_to_company"].contains(entry["type"]?.stringValue ?? "")
    }

    /// The object with its companies' primary entry (`contact_to_company`, `deal_to_company`)
    /// moved to the front of `associations.companies.results`, the others in HubSpot's order: the
    /// mappings read `customer_id` as the first company listed.
    static func primaryFirst(_ object: JSONValue) -> JSONValue {
        guard case .object(var fields) = object, case .object(var associations)? = fields["associations"],
            case .object(var companies)? = associations["companies"], let results = companies["results"]?.arrayValue
        else { return object }
        let primary = results.filter(isPrimaryEntry)
        guard let first = primary.first, results.first != first else { return object }
        companies["results"] = .array(primary + results.filter { !primary.contains($0) })
        associations["companies"] = .object(companies)
        fields["associations"] = .object(associations)
        return .object(fields)
    }

    /// HubSpot's object ids are digits; anything else could change the path, so it cannot exist.
    static func pathID(_ id: String, _ entity: String) throws(ConnectorError) -> String {
        guard !id.isEmpty, id.count <= 20, id.allSatisfy(\.isASCIIDigit) else { throw .notFound(entity: entity, id: id) }
        return id
    }
}
