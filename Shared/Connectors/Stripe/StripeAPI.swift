import Foundation
import HubCore
import NIOHTTP1

/// Stripe's wire conventions in one place: `/v1` paths under the base URL, the secret key as a
/// Bearer token, a pinned `Stripe-Version` (so responses keep the shape the connector reads),
/// bracket-encoded form bodies, and an `Idempotency-Key` on every POST so the transport may retry
/// writes without doubling them.
struct StripeAPI: Sendable {
    /// The API version the connector is written against.
    static let version = "2024-06-20"

    let context: ConnectorContext

    func get(_ path: String, query: [(String, String)] = [], entity: String, id: String? = nil) async throws(ConnectorError) -> JSONValue {
        try Self.decode(await send(.GET, path, query: query, form: nil, idempotencyKey: nil, entity: entity, id: id))
    }

    /// A list's page with the text of each object in its `data`, as Stripe wrote it.
    func list(_ path: String, query: [(String, String)], entity: String, id: String? = nil) async throws(ConnectorError) -> StripeListPage {
        let body = try await send(.GET, path, query: query, form: nil, idempotencyKey: nil, entity: entity, id: id)
        guard let (page, texts) = JSONReader.parse(body, elementsOf: "data") else { throw Self.notJSON }
        return StripeListPage(page: page, texts: texts)
    }

    /// A POST; `idempotencyKey` is the caller's, or a fresh one for this logical call, reused by
    /// every retry the transport makes.
    func post(_ path: String, form: JSONValue, idempotencyKey: String?, entity: String, id: String? = nil) async throws(ConnectorError) -> JSONValue {
        try Self.decode(await send(.POST, path, query: [], form: form, idempotencyKey: idempotencyKey ?? UUID().uuidString, entity: entity, id: id))
    }

    func delete(_ path: String, entity: String, id: String) async throws(ConnectorError) -> JSONValue {
        try Self.decode(await send(.DELETE, path, query: [], form: nil, idempotencyKey: nil, entity: entity, id: id))
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)],
        form: JSONValue?,
        idempotencyKey: String?,
        entity: String,
        id: String?
    ) async throws(ConnectorError) -> [UInt8] {
        let key = try context.credential("api_key")
        let url = ProviderRequest.withQuery(context.baseURL + "/v1/" + path, query)
        var headers: HTTPHeaders = [
            "Authorization": "Bearer \(key)", "Stripe-Version": Self.version, "Accept": "application/json",
            "User-Agent": "IntegrationHub/1.0",
        ]
        var body: [UInt8]?
        if let form {
            headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            body = Array(FormEncoding.encode(form).utf8)
        }
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        // GET and DELETE are idempotent by definition; a POST is once it carries a key.
        let request = ProviderRequest(method: method, url: url, headers: headers, body: body, isIdempotent: method != .POST || idempotencyKey != nil)
        let mapper = StripeErrorMapper(entity: entity, id: id)
        return try await context.transport.send(request, provider: "stripe", entity: entity, classify: mapper.classify).body
    }

    static let notJSON = ConnectorError.invalidResponse("Stripe sent a body that is not JSON")

    static func decode(_ body: [UInt8]) throws(ConnectorError) -> JSONValue {
        guard let value = JSONReader.parse(body) else { throw notJSON }
        return value
    }

    /// A key derived from the caller's for one step of a multi-request operation (an invoice and
    /// its lines), so a retried operation replays each step instead of repeating it. Long keys
    /// are hashed to stay within Stripe's 255 characters.
    static func stepKey(_ base: String, _ step: String) -> String {
        let key = "\(base):\(step)"
        return key.utf8.count <= 255 ? key : sha256Hex(Array(key.utf8))
    }
}

/// Reading Stripe payloads. The names carry a `stripe` label so they cannot collide with another
/// connector's helpers on the shared `JSONValue`.
extension JSONValue {
    /// A field of an object, or nil.
    subscript(stripe key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var stripeString: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var stripeArray: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    var stripeInt: Int? {
        if case .number(let value) = self, value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        return nil
    }

    var stripeBool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
