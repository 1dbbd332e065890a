import Foundation
import HubCore

/// Linking and Item management, which the generic calls do not cover: Link tokens, the public
/// token exchange, the sandbox shortcut that skips the Link UI, removal, and lookups.
extension PlaidConnector {
    /// A Link token for the Link UI (valid four hours). Needs only the hub's client credentials.
    public func createLinkToken(
        clientUserID: String,
        clientName: String,
        products: [String] = ["transactions"],
        countryCodes: [String] = ["US"],
        language: String = "en",
        webhook: String? = nil,
        redirectURI: String? = nil
    ) async throws(ConnectorError) -> (linkToken: String, expiration: Date?) {
        var fields: [String: JSONValue] = [
            "client_name": .string(clientName), "language": .string(language), "country_codes": .array(countryCodes.map(JSONValue.string)),
            "user": .object(["client_user_id": .string(clientUserID)]), "products": .array(products.map(JSONValue.string)),
        ]
        if let webhook { fields["webhook"] = .string(webhook) }
        if let redirectURI { fields["redirect_uri"] = .string(redirectURI) }
        let body = try await call("link/token/create", fields, entity: "link_token", withAccessToken: false, isRead: false)
        guard let token = Self.string(body["link_token"]) else { throw .invalidResponse("Plaid's answer has no link_token") }
        return (token, Self.string(body["expiration"]).flatMap { try? Date($0, strategy: .iso8601) })
    }

    /// Exchanges the public token Link returned for the Item's access token (it does not
    /// expire). Sent once: a public token cannot be exchanged twice.
    public func exchangePublicToken(_ publicToken: String) async throws(ConnectorError) -> (accessToken: String, itemID: String) {
        let body = try await call(
            "item/public_token/exchange",
            ["public_token": .string(publicToken)],
            entity: "item",
            withAccessToken: false,
            isRead: false
        )
        guard let accessToken = Self.string(body["access_token"]), let itemID = Self.string(body["item_id"]) else {
            throw .invalidResponse("Plaid's answer has no access_token or item_id")
        }
        return (accessToken, itemID)
    }

    /// Sandbox only: a public token for `institutionID` without the Link UI.
    public func sandboxPublicToken(
        institutionID: String = "ins_109508",
        products: [String] = ["transactions"],
        webhook: String? = nil
    )
        async throws(ConnectorError) -> String
    {
        var fields: [String: JSONValue] = ["institution_id": .string(institutionID), "initial_products": .array(products.map(JSONValue.string))]
        if let webhook { fields["options"] = .object(["webhook": .string(webhook)]) }
        let body = try await call("sandbox/public_token/create", fields, entity: "item", withAccessToken: false, isRead: false)
        guard let token = Self.string(body["public_token"]) else { throw .invalidResponse("Plaid's answer has no public_token") }
        return token
    }

    /// Revokes the access token (on disconnect); the Item's webhooks stop.
    public func removeItem() async throws(ConnectorError) {
        _ = try await call("item/remove", entity: "item", isRead: false)
    }

    /// Real-time balances (`/accounts/balance/get`), which Plaid fetches from the bank.
    public func balances() async throws(ConnectorError) -> [ProviderRecord] {
        Self.objects(try await call("accounts/balance/get", entity: "bank_accounts")["accounts"]).map(Self.account)
    }

    /// An institution's name, products and country codes.
    public func institution(id: String, countryCodes: [String] = ["US"]) async throws(ConnectorError) -> JSONValue {
        let body = try await call(
            "institutions/get_by_id",
            ["institution_id": .string(id), "country_codes": .array(countryCodes.map(JSONValue.string))],
            entity: "institution",
            id: id,
            withAccessToken: false
        )
        guard let institution = body["institution"] else { throw .invalidResponse("Plaid's answer has no institution") }
        return institution
    }

    /// The public key Plaid signs webhooks with, by key id (`/webhook_verification_key/get`).
    public func webhookVerificationKey(id: String) async throws(ConnectorError) -> JSONValue {
        let body = try await call("webhook_verification_key/get", ["key_id": .string(id)], entity: "webhook_key", id: id, withAccessToken: false)
        guard let key = body["key"] else { throw .invalidResponse("Plaid's answer has no key") }
        return key
    }
}
