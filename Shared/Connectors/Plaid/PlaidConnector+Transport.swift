import Foundation
import HubCore
import NIOHTTP1

/// One Plaid call: a JSON POST with the `Plaid-Version` header, and Plaid's errors classified.
/// The hub's `client_id` and `secret` belong in the body too; the transport adds them (in
/// oauth-service, which holds the secret) or has oauth-service add them (everywhere else).
extension PlaidConnector: BodyCredentialedAPI {
    /// Every path the connector calls; reads repeat safely (`transactions/sync` with the same
    /// cursor answers the same page), token exchanges, link tokens and removals do not.
    public static let relayedPaths: [String: Bool] = [
        "accounts/get": true, "accounts/balance/get": true, "institutions/get_by_id": true, "item/get": true,
        "transactions/sync": true, "webhook_verification_key/get": true, "item/remove": false,
        "item/public_token/exchange": false, "link/token/create": false, "sandbox/public_token/create": false,
    ]

    public static var relayedHeaders: [String: String] { ["Plaid-Version": apiVersion] }

    /// - Parameters:
    ///   - withAccessToken: adds the Item's `access_token` (every call but linking).
    ///   - isRead: reads repeat safely after a 5xx; token exchanges and removals do not.
    func call(
        _ path: String,
        _ fields: [String: JSONValue] = [:],
        entity: String,
        id: String? = nil,
        withAccessToken: Bool = true,
        isRead: Bool = true
    ) async throws(ConnectorError) -> [String: JSONValue] {
        var body = fields
        if withAccessToken { body["access_token"] = .string(try context.credential("access_token")) }
        let bytes: [UInt8]
        do {
            bytes = Array(try JSONEncoder().encode(JSONValue.object(body)))
        } catch {
            throw .validation(message: "the request cannot be encoded", field: nil)
        }
        let request = ProviderRequest(
            method: .POST,
            url: "\(context.baseURL)/\(path)",
            headers: ["Content-Type": "application/json", "Plaid-Version": Self.apiVersion],
            body: bytes,
            isIdempotent: isRead
        )
        let response = try await context.transport.send(request, provider: Self.definition.id, entity: entity) { response in
            PlaidErrorMapper.classify(response, entity: entity, id: id)
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)) else {
            throw .invalidResponse("Plaid sent a body that is not a JSON object")
        }
        return object
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func objects(_ value: JSONValue?) -> [[String: JSONValue]] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }
}
