import Crypto
import Foundation
import HubCore

/// Shopify's OAuth quirks: everything runs on the shop's own host (`{shop}` is the validated
/// `shop_domain`), scopes are comma separated, the authorize request has no `response_type` and
/// the exchange no `redirect_uri` but `expiring=1` (expiring offline tokens, which rotate), and the
/// callback is signed: its `hmac` must verify and its `shop` must be the shop the authorization named.
extension ShopifyConnector: OAuthConnector, StandardOAuthFlow {
    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .body,
        scopeSeparator: ",",
        sendsResponseType: false,
        sendsRedirectURIAtExchange: false,
        exchangeFields: [("expiring", "1")],
        refreshTokenLifetimeField: "refresh_token_expires_in",
        accountAttribute: "shop_domain"
    )

    /// Normalizes `shop_domain` (trimmed, lowercased, without a scheme or path) and accepts only a
    /// `*.myshopify.com` domain, so the redirect and the exchange cannot be pointed at another host.
    public static func validateAuthorizationParameters(_ parameters: [String: String]) throws(ConnectorError) -> [String: String] {
        guard let shop = normalizedShop(parameters["shop_domain"] ?? "") else {
            throw .validation(message: "Store domain must be a myshopify.com domain, e.g. example.myshopify.com", field: "shop_domain")
        }
        return ["shop_domain": shop]
    }

    static func productionURL(_ template: String, values: [String: String]) throws(ConnectorError) -> String {
        guard template.contains("{shop}") else { return template }
        guard let shop = normalizedShop(values["shop_domain"] ?? "") else {
            throw .validation(message: "the shop_domain is not a myshopify.com domain", field: "shop_domain")
        }
        return template.replacingOccurrences(of: "{shop}", with: shop)
    }

    /// Verifies the callback's `hmac` with the hub's client secret and that `shop` is the shop the
    /// authorization was for; returns it as `shop_domain`.
    public static func validateCallback(
        query: [(name: String, value: String)],
        authorization: AuthorizationRequest,
        client: OAuthClientRegistration
    ) throws(ConnectorError) -> [String: String] {
        let signatures = query.filter { $0.name == "hmac" }
        guard signatures.count == 1, let presented = signatures.first?.value else {
            throw .validation(message: "Shopify's callback carries no single hmac", field: "hmac")
        }
        let expected = callbackHMAC(query.map { ($0.name, $0.value) }, secret: client.clientSecret)
        guard ConstantTime.equals(expected, presented.lowercased()) else {
            throw .validation(message: "Shopify's callback signature does not verify", field: "hmac")
        }
        let shops = query.filter { $0.name == "shop" }
        guard shops.count == 1, let shop = shops.first.flatMap({ normalizedShop($0.value) }), shop == shops.first?.value.lowercased(),
            let authorized = authorization.parameters["shop_domain"].flatMap(normalizedShop), shop == authorized
        else {
            throw .validation(message: "Shopify's callback is for another shop than the one authorized", field: "shop")
        }
        return ["shop_domain": shop]
    }

    /// Uninstalls the app from the shop (`DELETE /admin/api_permissions/current.json`), which
    /// revokes every token of the grant.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        _ = try await Self.oauthWire.call(
            .DELETE,
            try revocationURL(),
            headers: ["X-Shopify-Access-Token": try context.credential("access_token")],
            entity: "api_permissions",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }

    // MARK: The callback signature

    /// Shopify's signature of the parameters it sends an app: every parameter but `hmac`, `%` and
    /// `&` escaped in names and values and `=` in names, sorted by name, joined as `name=value` with
    /// `&`, hex HMAC-SHA256 keyed with the client secret.
    static func callbackHMAC(_ parameters: [(String, String)], secret: String) -> String {
        func escape(_ text: String, name: Bool) -> String {
            let escaped = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "&", with: "%26")
            return name ? escaped.replacingOccurrences(of: "=", with: "%3D") : escaped
        }
        var pairs: [(name: String, value: String)] = []
        for (name, value) in parameters where name != "hmac" {
            pairs.append((escape(name, name: true), escape(value, name: false)))
        }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let message = pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8))).hexString
    }

    /// The shop's myshopify domain from what a person typed (`Example.myshopify.com`,
    /// `https://example.myshopify.com/admin`), or nil when it is not one.
    static func normalizedShop(_ input: String) -> String? {
        var text = input.trimmingWhitespace().lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        let field = definition.auth.credentialFields.first { $0.name == "shop_domain" }
        return !text.isEmpty && field?.accepts(text) == true ? text : nil
    }
}
