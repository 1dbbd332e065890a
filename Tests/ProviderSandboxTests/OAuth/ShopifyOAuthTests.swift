import Foundation
import ProviderSandbox
import Testing

/// Shopify: the signed callback, shop-domain rules, expiring offline tokens with rotation, and
/// uninstall as revocation.
@Suite struct ShopifyOAuthTests {
    static let shop = "hub-sandbox.myshopify.com"
    static let client = ("shopify-sandbox-client", "shopify-sandbox-secret")

    static func authorize(_ sandbox: OAuthTestSandbox, shop: String = shop, extra: [(String, String)] = []) async throws -> HTTPResult {
        try await sandbox.get(
            "/shopify/\(shop)/admin/oauth/authorize",
            query: [
                ("client_id", client.0), ("scope", "read_products,write_orders"), ("redirect_uri", OAuthTestSandbox.redirectURI),
                ("state", "nonce-1"),
            ] + extra
        )
    }

    static func exchange(_ sandbox: OAuthTestSandbox, code: String, expiring: Bool, shop: String = shop) async throws -> HTTPResult {
        var body: [String: Any] = ["client_id": client.0, "client_secret": client.1, "code": code]
        if expiring { body["expiring"] = 1 }
        return try await sandbox.post("/shopify/\(shop)/admin/oauth/access_token", json: body)
    }

    static func refresh(_ sandbox: OAuthTestSandbox, _ token: String) async throws -> HTTPResult {
        try await sandbox.post(
            "/shopify/\(shop)/admin/oauth/access_token",
            json: ["client_id": client.0, "client_secret": client.1, "grant_type": "refresh_token", "refresh_token": token]
        )
    }

    @Test func theDocumentedVectorSigns() {
        let parameters = [
            ("code", "0907a61c0c8d55e99db179b68161bc00"), ("shop", "some-shop.myshopify.com"), ("state", "0.6784241404160823"),
            ("timestamp", "1337178173"),
        ]
        let expected = "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"
        #expect(ShopifyCallbackHMAC.sign(parameters, secret: "hush") == expected)
        #expect(OAuthTestCrypto.shopifyHMAC(Dictionary(uniqueKeysWithValues: parameters), secret: "hush") == expected)
        #expect(ShopifyCallbackHMAC.verify(parameters + [("hmac", expected)], secret: "hush"))
        #expect(!ShopifyCallbackHMAC.verify(parameters + [("hmac", expected)], secret: "hush!"))
    }

    @Test func installUseRefreshAndUninstall() async throws {
        let registry = ShopifyTokenRegistry()
        try await OAuthTestSandbox.run(shopifyTokens: registry) { sandbox in
            let authorize = try await Self.authorize(sandbox)
            #expect(authorize.status == 302)
            let callback = try authorize.redirectQuery()
            #expect(Set(callback.keys) == ["code", "hmac", "host", "shop", "state", "timestamp"])
            #expect(callback["shop"] == Self.shop)
            #expect(callback["state"] == "nonce-1")
            #expect(
                callback["hmac"] == OAuthTestCrypto.shopifyHMAC(callback, secret: Self.client.1),
                "verifies with Shopify's documented rule"
            )

            let tokens = try await Self.exchange(sandbox, code: callback["code"] ?? "", expiring: true).object()
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            #expect(access.hasPrefix("shpat_"))
            #expect(tokens["scope"] as? String == "read_products,write_orders")
            #expect(tokens["expires_in"] as? Int == 3600)
            #expect(tokens["refresh_token_expires_in"] as? Int == 7_776_000)
            #expect(registry.lookup(access)?.shop == Self.shop, "registered for the Admin API")

            let scopes = try await sandbox.get(
                "/shopify/\(Self.shop)/admin/oauth/access_scopes.json",
                headers: [("X-Shopify-Access-Token", access)]
            )
            #expect(
                (try scopes.object()["access_scopes"] as? [[String: String]])?.map { $0["handle"] } == ["read_products", "write_orders"]
            )

            let refreshed = try await Self.refresh(sandbox, refresh).object()
            let newAccess = try #require(refreshed["access_token"] as? String)
            #expect(refreshed["refresh_token"] as? String != refresh)
            #expect(registry.lookup(newAccess) != nil)

            let uninstall = try await sandbox.send(
                .DELETE,
                "/shopify/\(Self.shop)/admin/api_permissions/current.json",
                headers: [("X-Shopify-Access-Token", newAccess)]
            )
            #expect(uninstall.status == 200)
            #expect(
                try await sandbox.get(
                    "/shopify/\(Self.shop)/admin/oauth/access_scopes.json",
                    headers: [("X-Shopify-Access-Token", newAccess)]
                ).status == 401
            )
            #expect(registry.lookup(newAccess) == nil && registry.lookup(access) == nil)
            let refused = try await Self.refresh(sandbox, refresh)
            #expect(refused.status == 400)
            #expect(try refused.object()["error"] as? String == "invalid_grant")
        }
    }

    @Test func withoutExpiringTheOfflineTokenNeverExpires() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            let tokens = try await Self.exchange(sandbox, code: code, expiring: false).object()
            #expect(Set(tokens.keys) == ["access_token", "scope"])
            let reuse = try await Self.exchange(sandbox, code: code, expiring: false)
            #expect(reuse.status == 400)
            #expect(try reuse.object()["error_description"] as? String == "The authorization code was not found or was already used")
        }
    }

    @Test func shopDomainsAreChecked() async throws {
        try await OAuthTestSandbox.run { sandbox in
            #expect(try await Self.authorize(sandbox, shop: "evil.example.com").status == 400)
            #expect(try await Self.authorize(sandbox, shop: "-bad.myshopify.com").status == 400)
            #expect(try await Self.authorize(sandbox, shop: "unknown-shop.myshopify.com").status == 404)
            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            #expect(try await Self.exchange(sandbox, code: code, expiring: true, shop: "unknown-shop.myshopify.com").status == 404)
        }
    }

    @Test func aMerchantWhoCancelsNeverReachesTheApp() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let cancelled = try await Self.authorize(sandbox, extra: [("sandbox_decision", "deny")])
            #expect(cancelled.status == 302)
            #expect(cancelled.header("location") == "/shopify/\(Self.shop)/admin/apps")
            #expect(try await sandbox.stats("shopify")["denials"] == 1)
        }
    }

    @Test func aUsedRefreshTokenLastsUntilItsReplacementIsUsed() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            let first = try #require(try await Self.exchange(sandbox, code: code, expiring: true).object()["refresh_token"] as? String)
            let second = try #require(try await Self.refresh(sandbox, first).object()["refresh_token"] as? String)
            #expect(try await Self.refresh(sandbox, first).status == 200, "retained: the replacement is unused")
            #expect(try await Self.refresh(sandbox, second).status == 200)
            #expect(try await Self.refresh(sandbox, first).status == 400, "retired once the replacement was used")
            let stats = try await sandbox.stats("shopify")
            #expect(stats["refresh_reuse_accepted"] == 1)
            #expect(stats["refresh_reuse_rejected"] == 1)
        }
    }
}
