import Foundation
import HubCore
import NIOHTTP1

/// One REST API call through the shared transport: `{instance_url}/services/data/{version}/…`
/// with the bearer token, JSON in and out, Salesforce's error arrays classified, and the org's
/// daily API usage read from `Sforce-Limit-Info`.
extension SalesforceConnector {
    /// The REST API version every call uses (Winter '26): the one place it is pinned.
    public static let apiVersion = "v65.0"

    /// The org's API host from the token response, checked to be an http(s) origin (with an
    /// optional path) so a crafted value cannot carry a query or credentials the token would
    /// be sent along with.
    func instanceURL() throws(ConnectorError) -> String {
        let raw = try context.credential("instance_url")
        let base = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw .authenticationFailed("the instance_url credential is not a Salesforce instance URL")
        }
        return base
    }

    /// `/services/data/{version}`, the prefix of every path the API hands back (`nextRecordsUrl`).
    static var dataPath: String { "/services/data/\(apiVersion)" }

    /// Sends one call and returns the provider's response, headers included (`json(_:)` reads
    /// its body).
    /// - Parameters:
    ///   - path: below `/services/data/{version}/`, or an absolute `/services/data/…` path the
    ///     API returned.
    ///   - isIdempotent: whether the transport may repeat it (reads, deletes and upserts).
    @discardableResult
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        headers extra: [(String, String)] = [],
        entity: String,
        id: String? = nil,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> ProviderResponse {
        let suffix = path.hasPrefix("/services/data/") ? path : "\(Self.dataPath)/\(path)"
        let request = ProviderRequest.bearerJSON(
            method,
            url: try instanceURL() + suffix,
            query: query,
            token: try context.credential("access_token"),
            headers: extra,
            body: body,
            isIdempotent: isIdempotent ?? (method == .GET || method == .DELETE)
        )
        return try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            SalesforceErrorMapper.classify(response, entity: entity, id: id)
        }
    }

    /// A response's decoded body; nil for `204 No Content`.
    static func json(_ response: ProviderResponse) throws(ConnectorError) -> JSONValue? {
        guard !response.body.isEmpty else { return nil }
        guard let json = JSONReader.parse(response.body) else { throw .invalidResponse("Salesforce sent a body that is not JSON") }
        return json
    }

    /// The org's daily API usage from `Sforce-Limit-Info` (`api-usage=25/15000`, perhaps with
    /// `; per-app-api-usage=…` after it); nil when the header is missing or malformed, which
    /// must not fail the call it came with.
    static func quota(_ headers: HTTPHeaders, at now: Date = Date()) -> ProviderQuota? {
        for value in headers["Sforce-Limit-Info"] {
            for part in value.split(whereSeparator: { $0 == ";" || $0 == "," }) {
                let item = part.trimmingCharacters(in: .whitespaces)
                guard item.hasPrefix("api-usage=") else { continue }
                let figures = item.dropFirst("api-usage=".count).split(separator: "/")
                guard figures.count == 2, let used = Int(figures[0]), let limit = Int(figures[1]), used >= 0, limit > 0 else { return nil }
                return ProviderQuota(used: used, limit: limit, observedAt: now)
            }
        }
        return nil
    }

    /// The entity's definition and its sObject name (`Account`).
    func object(_ entity: String, allowing operation: EntityOperation) throws(ConnectorError) -> String {
        try entityDefinition(entity, allowing: operation).providerObject
    }

    /// A record from one sObject: its `Id` and `SystemModstamp`, without the `attributes` the API
    /// adds (type and URL, which say nothing the hub keeps).
    static func record(_ object: JSONValue, entity: String) throws(ConnectorError) -> ProviderRecord {
        guard case .object(var fields) = object, let id = fields["Id"]?.stringValue, !id.isEmpty else {
            throw .invalidResponse("a Salesforce \(entity) record without an Id")
        }
        fields["attributes"] = nil
        for relationship in childRelationships {
            guard case .object(var children)? = fields[relationship] else { continue }
            children["records"] = children["records"]?.arrayValue.map { .array($0.map(Self.withoutAttributes)) }
            fields[relationship] = .object(children)
        }
        let stamp = (fields["SystemModstamp"] ?? fields["LastModifiedDate"])?.stringValue.flatMap(ISOTimestamp.unix(iso:))
        return ProviderRecord(externalID: id, updatedAt: stamp.map { Date(timeIntervalSince1970: $0) }, payload: .object(fields))
    }

    static func withoutAttributes(_ value: JSONValue) -> JSONValue {
        guard case .object(var fields) = value else { return value }
        fields["attributes"] = nil
        return .object(fields)
    }

    /// Record ids are 15 or 18 letters and digits; anything else could change the path, so it
    /// cannot exist.
    static func pathID(_ id: String, _ entity: String) throws(ConnectorError) -> String {
        guard id.count == 15 || id.count == 18, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .notFound(entity: entity, id: id)
        }
        return id
    }
}
