import Foundation
import Hummingbird
import ProviderSandbox
import Testing

/// Shopify's OAuth attached to the Shopify data API's own provider, the way the sandbox will mount
/// them together: a token from the OAuth flow reads the Admin API until it is revoked or expired.
@Suite struct ShopifyOAuthWiringTests {
    /// The data API and the OAuth routes under one `shopify` mount, sharing the token registry.
    struct ShopifyWithOAuth: SandboxProvider {
        let data: ShopifyProvider
        var id: String { data.id }

        func addRoutes(to group: RouterGroup<SandboxContext>) {
            // ShopifyProvider mounts its own OAuth routes, issuing into the same registry.
            data.addRoutes(to: group)
        }

        func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
            data.addAdminRoutes(to: group)
        }

        func faultResponse(_ fault: InjectedFault) -> Response {
            data.faultResponse(fault)
        }
    }

    static let shopJSON = "/shopify/\(ShopifyOAuthTests.shop)/admin/api/\(ShopifyProvider.apiVersion)/shop.json"

    @Test func anOAuthTokenReadsTheAdminAPIUntilRevokedOrExpired() async throws {
        let registry = ShopifyTokenRegistry()
        try await OAuthTestSandbox.run(
            shopifyTokens: registry,
            mountShopify: { configuration, _ in
                ShopifyWithOAuth(data: ShopifyProvider(configuration: configuration, webhooks: WebhookDispatcher(), tokens: registry))
            }
        ) { sandbox in
            func install() async throws -> String {
                let code = try await ShopifyOAuthTests.authorize(sandbox).redirectQuery()["code"] ?? ""
                let tokens = try await ShopifyOAuthTests.exchange(sandbox, code: code, expiring: true).object()
                return try #require(tokens["access_token"] as? String)
            }
            let first = try await install()
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", first)]).status == 200)
            let expire = try await sandbox.post("/_admin/shopify/oauth/tokens/expire", json: ["token": first])
            #expect(expire.status == 204)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", first)]).status == 401)

            let second = try await install()
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", second)]).status == 200)
            let uninstall = try await sandbox.send(
                .DELETE, "/shopify/\(ShopifyOAuthTests.shop)/admin/api_permissions/current.json",
                headers: [("X-Shopify-Access-Token", second)])
            #expect(uninstall.status == 200)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", second)]).status == 401)
        }
    }
}
