import Foundation
import Hummingbird

/// Shopify's OAuth on the shop's own host, under the Shopify provider's mount:
///
/// - `GET /shopify/{shop}/admin/oauth/authorize`: `{shop}` must be a `*.myshopify.com` domain the
///   sandbox has; the callback carries `code`, `hmac`, `host`, `shop`, `state`, `timestamp`, signed
///   per `ShopifyCallbackHMAC` with the client secret. A merchant who cancels is sent back to the
///   shop's admin: Shopify never calls the app's redirect URI with an error.
/// - `POST /shopify/{shop}/admin/oauth/access_token`: JSON (or form) `client_id`, `client_secret`,
///   `code`; `{access_token, scope}` for a non-expiring offline token, or with `expiring=1` also
///   `expires_in`, `refresh_token`, `refresh_token_expires_in`. `grant_type=refresh_token` rotates.
/// - `GET /shopify/{shop}/admin/oauth/access_scopes.json`: the scopes of `X-Shopify-Access-Token`.
/// - `DELETE /shopify/{shop}/admin/api_permissions/current.json`: uninstalls the app, revoking
///   every token of the grant.
///
/// Tokens issued here are also registered in the data API's `ShopifyTokenRegistry` when given.
public struct ShopifyOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer
    /// The shop domains that exist in the sandbox.
    let shops: Set<String>

    static let domainPattern = #"^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$"#

    public init(server: OAuthServer, shops: Set<String>) {
        self.server = server
        self.shops = shops
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get(":shop/admin/oauth/authorize") { request, context in
            let shop = try shop(context)
            let query = FormParameters.query(of: request)
            let (redirectURI, consent) = try server.authorize(query, account: SandboxOAuthAccount(id: shop, name: shop))
            switch consent {
            case .granted(let code, _, _):
                let store = shop.replacingOccurrences(of: ".myshopify.com", with: "")
                let host = Data("admin.shopify.com/store/\(store)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                var parameters = [("code", code), ("host", host), ("shop", shop), ("timestamp", String(Int(Date().timeIntervalSince1970)))]
                if let state = query["state"] { parameters.append(("state", state)) }
                let secret = server.client(id: query["client_id"] ?? "")?.secret ?? ""
                parameters.append(("hmac", ShopifyCallbackHMAC.sign(parameters, secret: secret)))
                return OAuthHTTP.redirect(to: redirectURI, adding: parameters)
            case .denied:
                return OAuthHTTP.redirect(to: "/\(server.profile.id)/\(shop)/admin/apps", adding: [])
            case .redirectError(let code, let description):
                throw OAuthFailure(
                    code == "invalid_scope" ? .invalidScope(description) : .missingParameter(description),
                    dialect: .shopify,
                    atAuthorize: true
                )
            }
        }
        group.post(":shop/admin/oauth/access_token") { request, context in
            let shop = try shop(context)
            let body = try await FormParameters.body(of: request, context: context)
            let client = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .body))
            let issued: SandboxTokenStore.Issued
            if body["grant_type"] == "refresh_token" {
                let presented = body.nonEmpty("refresh_token")
                if let presented, let info = server.tokens.lookup(provider: server.profile.id, value: presented), info.account.id != shop {
                    throw server.failure(.unknownRefreshToken)
                }
                issued = try server.refresh(presented, client: client)
            } else {
                let expiring = ["1", "true"].contains(body["expiring"] ?? "")
                issued = try server.exchange(
                    code: body.nonEmpty("code"),
                    client: client,
                    redirectURI: nil,
                    codeVerifier: nil,
                    accountID: shop,
                    expiring: expiring
                )
            }
            var answer: [String: Any] = ["access_token": issued.access.value, "scope": server.profile.scopeString(issued.access.scopes)]
            if let seconds = issued.access.secondsLeft() { answer["expires_in"] = seconds }
            if let refresh = issued.refresh {
                answer["refresh_token"] = refresh.value
                answer["refresh_token_expires_in"] = refresh.secondsLeft() ?? 0
            }
            return OAuthHTTP.json(answer)
        }
        group.get(":shop/admin/oauth/access_scopes.json") { request, context in
            guard let info = caller(request, shop: try shop(context)) else { return faultResponse(.unauthorized) }
            return OAuthHTTP.json(["access_scopes": info.scopes.map { ["handle": $0] }])
        }
        group.delete(":shop/admin/api_permissions/current.json") { request, context in
            guard let info = caller(request, shop: try shop(context)) else { return faultResponse(.unauthorized) }
            server.revoke(info.value)
            return OAuthHTTP.json([String: String]())
        }
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = OAuthHTTP.json(
                ["errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."],
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(format: "%.1f", seconds)
            return response
        case .serverError:
            return OAuthHTTP.json(["errors": "Internal Server Error"], status: .internalServerError)
        case .unauthorized:
            return OAuthHTTP.json(
                ["errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"],
                status: .unauthorized
            )
        }
    }

    /// The path's shop, checked against Shopify's domain rule and the sandbox's shops.
    private func shop(_ context: SandboxContext) throws -> String {
        let shop = try context.parameters.require("shop").lowercased()
        guard shop.range(of: Self.domainPattern, options: .regularExpression) != nil else {
            throw OAuthFailure(.invalidShopDomain(shop), dialect: .shopify, atAuthorize: true)
        }
        guard shops.contains(shop) else { throw OAuthFailure(.unknownShop(shop), dialect: .shopify, atAuthorize: true) }
        return shop
    }

    /// The usable access token in `X-Shopify-Access-Token`, when it belongs to `shop`.
    private func caller(_ request: Request, shop: String) -> TokenInfo? {
        guard let name = HTTPFields.Element.Name("X-Shopify-Access-Token"), let token = request.headers[name],
            let info = server.validate(token), info.account.id == shop
        else { return nil }
        return info
    }
}
