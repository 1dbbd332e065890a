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

    /// Runs `body` against a sandbox whose Shopify OAuth and Admin API share `registry`.
    static func withWiredSandbox(
        _ registry: ShopifyTokenRegistry,
        _ body: @Sendable (OAuthTestSandbox) async throws -> Void
    ) async throws {
        try await OAuthTestSandbox.run(
            shopifyTokens: registry,
            mountShopify: { configuration, _ in
                ShopifyWithOAuth(data: ShopifyProvider(configuration: configuration, webhooks: WebhookDispatcher(), tokens: registry))
            },
            body
        )
    }

    /// Installs the app once: authorizes, exchanges the code, returns the access token.
    static func install(_ sandbox: OAuthTestSandbox, expiring: Bool = true) async throws -> String {
        let code = try await ShopifyOAuthTests.authorize(sandbox).redirectQuery()["code"] ?? ""
        let tokens = try await ShopifyOAuthTests.exchange(sandbox, code: code, expiring: expiring).object()
        return try #require(tokens["access_token"] as? String)
    }

    @Test func anOAuthTokenReadsTheAdminAPIUntilRevokedOrExpired() async throws {
        try await Self.withWiredSandbox(ShopifyTokenRegistry()) { sandbox in
            let first = try await Self.install(sandbox)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", first)]).status == 200)
            let expire = try await sandbox.post("/_admin/shopify/oauth/tokens/expire", json: ["token": first])
            #expect(expire.status == 204)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", first)]).status == 401)

            let second = try await Self.install(sandbox)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", second)]).status == 200)
            let uninstall = try await sandbox.send(
                .DELETE,
                "/shopify/\(ShopifyOAuthTests.shop)/admin/api_permissions/current.json",
                headers: [("X-Shopify-Access-Token", second)]
            )
            #expect(uninstall.status == 200)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", second)]).status == 401)
        }
    }

    @Test func anExpiringTokenStopsAtItsExpiry() {
        let registry = ShopifyTokenRegistry()
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        registry.register("shpat_expiring", shop: ShopifyOAuthTests.shop, expiresAt: issued.addingTimeInterval(3600))
        registry.register("shpat_offline", shop: ShopifyOAuthTests.shop)
        #expect(registry.lookup("shpat_expiring", at: issued.addingTimeInterval(3599))?.shop == ShopifyOAuthTests.shop)
        #expect(registry.lookup("shpat_expiring", at: issued.addingTimeInterval(3600)) == nil, "expired at its expiry, not after")
        #expect(registry.lookup("shpat_expiring", at: issued) == nil, "an expired token is forgotten")
        #expect(registry.lookup("shpat_offline", at: issued.addingTimeInterval(10 * 365 * 86400)) != nil)
    }

    @Test func issuedTokensCarryTheirExpiryIntoTheAdminAPI() async throws {
        let registry = ShopifyTokenRegistry()
        try await Self.withWiredSandbox(registry) { sandbox in
            let offline = try await Self.install(sandbox, expiring: false)
            #expect(registry.lookup(offline)?.expiresAt == nil)
            let hourly = try await Self.install(sandbox)
            let expiry = try #require(registry.lookup(hourly)?.expiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 3600) < 60)

            // 15 s: install and the first call fit in it even on a stalled machine.
            try await sandbox.configure("shopify", ["access_token_ttl_seconds": 15])
            let brief = try await Self.install(sandbox)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", brief)]).status == 200)
            let expires = try #require(registry.lookup(brief)?.expiresAt)
            try await Task.sleep(for: .seconds(max(0, expires.timeIntervalSinceNow) + 0.1))
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", brief)]).status == 401)
            #expect(try await sandbox.get(Self.shopJSON, headers: [("X-Shopify-Access-Token", offline)]).status == 200)
        }
    }
}
