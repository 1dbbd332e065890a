import Foundation
import HubCore
import NIOHTTP1

/// One Accounting API call through the shared transport: the company's URL with the minor
/// version, the bearer token, JSON in and out, and Intuit's faults classified — including the
/// `Fault` a 200 answer can carry.
extension QuickBooksConnector {
    /// `{base}/v3/company/{realm}`, after checking the realm is a company id (digits), so a
    /// crafted value cannot change the path the token is sent to.
    func companyBase() throws(ConnectorError) -> String {
        let realm = try context.credential("realm_id")
        guard realm.allSatisfy(\.isASCIIDigit) else { throw .authenticationFailed("the realm_id credential is not a QuickBooks company id") }
        return "\(context.baseURL)/v3/company/\(realm)"
    }

    /// Sends one call and returns its decoded body.
    /// - Parameter isIdempotent: whether the transport may repeat it (reads, and writes that
    ///   carry a `requestid`).
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        entity: String,
        id: String? = nil,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> JSONValue {
        let request = ProviderRequest.bearerJSON(
            method,
            url: try "\(companyBase())/\(path)",
            query: query + [("minorversion", Self.minorVersion)],
            token: try context.credential("access_token"),
            body: body,
            isIdempotent: isIdempotent ?? (method == .GET)
        )
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            QuickBooksErrorMapper.classify(response, entity: entity, id: id)
        }
        if let fault = QuickBooksErrorMapper.fault(in: response.body) {
            throw QuickBooksErrorMapper.classify(fault, entity: entity, id: id)
        }
        guard let json = JSONReader.parse(response.body), case .object = json else {
            throw .invalidResponse("QuickBooks sent a body that is not a JSON object")
        }
        return json
    }

    /// The entity's definition and its Accounting API object name (`Invoice`).
    func object(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> String {
        try entityDefinition(entity, allowing: operation).providerObject
    }

    /// A record from one Accounting API object: its `Id` and `MetaData.LastUpdatedTime` (read
    /// with its UTC offset).
    static func record(_ object: JSONValue, entity: String) throws(ConnectorError) -> ProviderRecord {
        guard let id = object["Id"]?.idText, !id.isEmpty else { throw .invalidResponse("a QuickBooks \(entity) object without an Id") }
        return ProviderRecord(externalID: id, updatedAt: date(object["MetaData"]?["LastUpdatedTime"]), payload: object)
    }

    static func date(_ value: JSONValue?) -> Date? {
        guard let text = value?.stringValue else { return nil }
        return try? Date(text, strategy: .iso8601)
    }

    /// Ids are digits; anything else could change the path, so it cannot exist.
    static func pathID(_ id: String, _ entity: String) throws(ConnectorError) -> String {
        guard !id.isEmpty, id.count <= 20, id.allSatisfy(\.isASCIIDigit) else { throw .notFound(entity: entity, id: id) }
        return id
    }
}
