import Foundation
import HubConnectors
import ProviderSandbox
import Testing

/// PayPal's client-credentials grant through the hub's connector, and Shopify's signed callback
/// refusing what was not signed for the shop the user authorized.
@Suite struct HubClientCredentialsAndCallbackTests {
    // MARK: PayPal

    static func payPal(_ harness: HubOAuthHarness, secret: String? = nil, token: String? = nil) throws -> PayPalConnector {
        let client = try #require(harness.sandbox.configuration.secrets.oauthClients["paypal"])
        var credentials = ["client_id": client.id, "client_secret": secret ?? client.secret]
        credentials["access_token"] = token
        return try harness.connector(PayPalConnector.self, credentials)
    }

    @Test func payPalTokenTestAndTerminate() async throws {
        try await HubOAuthHarness.run { harness in
            let app = harness.sandbox.oauth.paypal.server.account.id
            let tokens = try await Self.payPal(harness).obtainToken()
            #expect(tokens.accountID == app)
            #expect(tokens.refreshToken == nil)
            #expect(tokens.expiresAt.map { abs($0.timeIntervalSinceNow - 32_400) < 60 } == true, "about nine hours")
            #expect(tokens.scopes.contains("https://uri.paypal.com/services/invoicing"))
            #expect(try await Self.payPal(harness).testConnection().accountID == app)

            let cached = try Self.payPal(harness, token: tokens.accessToken)
            #expect(try await cached.revokeAccess())
            let again = await HubOAuthHarness.failure { _ = try await cached.revokeAccess() }
            #expect(HubOAuthHarness.isAuthenticationFailure(again), "a terminated token is unknown: \(String(describing: again))")
            let next = try await Self.payPal(harness).obtainToken()
            #expect(next.accessToken != tokens.accessToken, "the terminated token is not handed out again")
            #expect(try await Self.payPal(harness).revokeAccess() == false, "nothing cached, nothing to end")
        }
    }

    @Test func payPalRefusesAWrongSecret() async throws {
        try await HubOAuthHarness.run { harness in
            let wrong = try Self.payPal(harness, secret: "not-the-secret")
            let error = await HubOAuthHarness.failure { _ = try await wrong.testConnection() }
            #expect(HubOAuthHarness.isAuthenticationFailure(error), "\(String(describing: error))")
        }
    }

    // MARK: Shopify's callback

    /// Whether `body` throws `validation` naming `field`.
    static func isRefused(_ body: () throws -> Void, field: String) -> Bool {
        do {
            try body()
            return false
        } catch ConnectorError.validation(_, let named) {
            return named == field
        } catch {
            return false
        }
    }

    @Test func shopifyRefusesATamperedCallback() async throws {
        try await HubOAuthHarness.run { harness in
            let authorized = try await harness.authorize(ShopifyConnector.self, parameters: ["shop_domain": "hub-sandbox.myshopify.com"])
            let client = try harness.client("shopify")
            let genuine = authorized.callback
            #expect(
                try ShopifyConnector.validateCallback(query: genuine, authorization: authorized.request, client: client)
                    == ["shop_domain": "hub-sandbox.myshopify.com"]
            )

            let hmac = try #require(authorized.value("hmac"))
            let flipped = String(hmac.dropLast()) + (hmac.hasSuffix("0") ? "1" : "0")
            let badSignature = genuine.map { $0.name == "hmac" ? (name: "hmac", value: flipped) : $0 }
            #expect(
                Self.isRefused(
                    { _ = try ShopifyConnector.validateCallback(query: badSignature, authorization: authorized.request, client: client) },
                    field: "hmac"
                )
            )

            let changedTimestamp = genuine.map { $0.name == "timestamp" ? (name: "timestamp", value: "1") : $0 }
            #expect(
                Self.isRefused(
                    { _ = try ShopifyConnector.validateCallback(query: changedTimestamp, authorization: authorized.request, client: client) },
                    field: "hmac"
                )
            )

            let unsigned = genuine.filter { $0.name != "hmac" }
            #expect(
                Self.isRefused(
                    { _ = try ShopifyConnector.validateCallback(query: unsigned, authorization: authorized.request, client: client) },
                    field: "hmac"
                )
            )

            let otherSecret = OAuthClientRegistration(clientID: client.clientID, clientSecret: "another-secret", redirectURI: client.redirectURI)
            #expect(
                Self.isRefused(
                    { _ = try ShopifyConnector.validateCallback(query: genuine, authorization: authorized.request, client: otherSecret) },
                    field: "hmac"
                )
            )
        }
    }

    @Test func shopifyRefusesACallbackForAnotherShop() async throws {
        try await HubOAuthHarness.run { harness in
            let authorized = try await harness.authorize(ShopifyConnector.self, parameters: ["shop_domain": "hub-sandbox.myshopify.com"])
            let client = try harness.client("shopify")
            // A genuine, correctly signed callback, but the user started the authorization for another shop.
            var elsewhere = authorized.request
            elsewhere.parameters = ["shop_domain": "victim-store.myshopify.com"]
            #expect(
                Self.isRefused(
                    { _ = try ShopifyConnector.validateCallback(query: authorized.callback, authorization: elsewhere, client: client) },
                    field: "shop"
                )
            )
        }
    }

    @Test func shopifyAuthorizesOnlyMyshopifyDomains() throws {
        for refused in ["evil.example.com", "hub-sandbox.myshopify.com.evil.example", "-bad.myshopify.com", "", "   "] {
            #expect(
                Self.isRefused({ _ = try ShopifyConnector.validateAuthorizationParameters(["shop_domain": refused]) }, field: "shop_domain"),
                "\(refused)"
            )
        }
        #expect(
            try ShopifyConnector.validateAuthorizationParameters(["shop_domain": "https://My-Store.myshopify.com/admin", "extra": "x"])
                == ["shop_domain": "my-store.myshopify.com"]
        )
    }
}
