import Foundation
import ProviderSandbox
import Testing

/// PayPal's client-credentials grant and token termination.
@Suite struct PayPalOAuthTests {
    static let client = ("paypal-sandbox-client", "paypal-sandbox-secret")

    static func token(_ sandbox: OAuthTestSandbox, basic: (String, String) = client) async throws -> HTTPResult {
        try await sandbox.post("/paypal/v1/oauth2/token", form: [("grant_type", "client_credentials")], basic: basic)
    }

    @Test func issueReuseAndTerminate() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let first = try await Self.token(sandbox).object()
            #expect(first["token_type"] as? String == "Bearer")
            #expect(first["expires_in"] as? Int == 32_400)
            #expect((first["app_id"] as? String)?.hasPrefix("APP-") == true)
            #expect((first["scope"] as? String)?.contains("https://uri.paypal.com/services/invoicing") == true)
            let token = try #require(first["access_token"] as? String)
            #expect(sandbox.oauth.tokens.validate(provider: "paypal", accessToken: token)?.account.id == first["app_id"] as? String)

            let second = try await Self.token(sandbox).object()
            #expect(second["access_token"] as? String == token, "a valid token is handed out again")

            let terminate = try await sandbox.post(
                "/paypal/v1/oauth2/token/terminate",
                form: [("token", token), ("token_type_hint", "ACCESS_TOKEN")],
                basic: Self.client
            )
            #expect(terminate.status == 200)
            #expect(sandbox.oauth.tokens.validate(provider: "paypal", accessToken: token) == nil)
            let third = try await Self.token(sandbox).object()
            #expect(third["access_token"] as? String != token)
            let stats = try await sandbox.stats("paypal")
            #expect(stats["client_credentials_grants"] == 3)
            #expect(stats["revocations"] == 1)
            #expect(stats["tokens_active"] == 1)
        }
    }

    @Test func badCredentialsAndGrantsAreRefused() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let wrong = try await Self.token(sandbox, basic: (Self.client.0, "wrong"))
            #expect(wrong.status == 401)
            let body = try wrong.object()
            #expect(body["error"] as? String == "invalid_client")
            #expect(body["error_description"] as? String == "Client Authentication failed")
            let noGrant = try await sandbox.post("/paypal/v1/oauth2/token", form: [], basic: Self.client)
            #expect(noGrant.status == 400)
            #expect(try noGrant.object()["error"] as? String == "unsupported_grant_type")
        }
    }
}
