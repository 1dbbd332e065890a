import Foundation
import HubCore
import NIOHTTP1

/// One REST call through the shared transport: the connection's host, the client-credentials
/// bearer token, JSON in and out, and PayPal's errors classified. The token itself is obtained,
/// stored and renewed by the hub's token broker (before expiry, and after a 401 this connector
/// reports as `authenticationFailed`), never here.
extension PayPalConnector {
    /// Sends one call and returns its decoded body (`.null` for an empty one).
    /// - Parameter isIdempotent: whether the transport may repeat it (reads, `PUT`s, and creates
    ///   that carry a `PayPal-Request-Id`).
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        headers extra: [(String, String)] = [],
        entity: String,
        id: String? = nil,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> JSONValue {
        let request = ProviderRequest.bearerJSON(
            method,
            url: apiBase() + path,
            query: query,
            token: try context.credential("access_token"),
            headers: extra,
            body: body,
            isIdempotent: isIdempotent ?? (method == .GET || method == .PUT)
        )
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            PayPalErrorMapper.classify(response, entity: entity, id: id)
        }
        if response.body.isEmpty { return .null }
        guard let json = JSONReader.parse(response.body), case .object = json else {
            throw .invalidResponse("PayPal sent a body that is not a JSON object")
        }
        return json
    }

    /// A record from one object: its id at `idPath` and its last change at `updatedPath`.
    static func record(_ object: JSONValue, entity: String, idPath: String, updatedPath: String) throws(ConnectorError) -> ProviderRecord {
        guard let id = value(object, idPath)?.stringValue, !id.isEmpty else { throw .invalidResponse("a PayPal \(entity) object without \(idPath)") }
        let updated = value(object, updatedPath)?.stringValue.flatMap { ISOTimestamp.unix(iso: $0) }
        return ProviderRecord(externalID: id, updatedAt: updated.map { Date(timeIntervalSince1970: $0) }, payload: object)
    }

    static func value(_ object: JSONValue, _ dotted: String) -> JSONValue? {
        dotted.split(separator: ".").reduce(Optional(object)) { $0?[String($1)] }
    }

    /// PayPal's ids are upper-case letters, digits and dashes (`INV2-…`, `PP-D-…`, transaction
    /// ids); anything else could change the path, so it cannot exist.
    static func pathID(_ id: String, _ entity: String) throws(ConnectorError) -> String {
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "-" }) else {
            throw .notFound(entity: entity, id: id)
        }
        return id
    }
}
