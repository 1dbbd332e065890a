import Foundation
import ProviderSandbox
import Testing

/// The token endpoints that share `TokenEndpoint`, pinned on the wire: the exact fields of each
/// provider's exchange and refresh answers, and the order in which a request with both a bad client
/// and an unsupported grant type is judged (up front for confidential-only endpoints, after the
/// grant type where a PKCE public client may leave out its secret).
@Suite struct TokenEndpointAnswerTests {
    /// One provider's authorize and token endpoints (paths under `/<provider>/`) and how the client
    /// is presented there: Basic, or `client_id` / `client_secret` in the body.
    struct Endpoint: Sendable {
        var provider: String
        var authorizePath: String
        var tokenPath: String
        var scope: String
        var basic: Bool

        init(_ provider: String, authorize: String, token: String, scope: String, basic: Bool) {
            (self.provider, authorizePath, tokenPath) = (provider, "/\(provider)/\(authorize)", "/\(provider)/\(token)")
            (self.scope, self.basic) = (scope, basic)
        }
    }

    static let quickbooks = Endpoint(
        "quickbooks",
        authorize: "connect/oauth2",
        token: "oauth2/v1/tokens/bearer",
        scope: "com.intuit.quickbooks.accounting",
        basic: true
    )
    static let xero = Endpoint(
        "xero",
        authorize: "identity/connect/authorize",
        token: "connect/token",
        scope: "offline_access accounting.contacts",
        basic: true
    )
    static let salesforce = Endpoint(
        "salesforce",
        authorize: "services/oauth2/authorize",
        token: "services/oauth2/token",
        scope: "api refresh_token",
        basic: false
    )
    static let hubspotV1 = Endpoint(
        "hubspot",
        authorize: "oauth/authorize",
        token: "oauth/v1/token",
        scope: "oauth crm.objects.contacts.read",
        basic: false
    )
    static let hubspotV3 = Endpoint(
        "hubspot",
        authorize: "oauth/authorize",
        token: "oauth/v3/token",
        scope: "oauth crm.objects.contacts.read",
        basic: false
    )
    static let slack = Endpoint("slack", authorize: "oauth/v2/authorize", token: "api/oauth.v2.access", scope: "channels:read", basic: true)

    static func client(_ sandbox: OAuthTestSandbox, _ provider: String) throws -> (String, String) {
        let client = try #require(sandbox.configuration.secrets.oauthClients[provider])
        return (client.id, client.secret)
    }

    /// Posts `form` to the endpoint's token path with the client presented its way (`secret`
    /// replaces the real one).
    static func post(
        _ sandbox: OAuthTestSandbox,
        _ endpoint: Endpoint,
        _ form: [(String, String)],
        secret: String? = nil
    ) async throws -> HTTPResult {
        let (id, real) = try client(sandbox, endpoint.provider)
        let secret = secret ?? real
        if endpoint.basic { return try await sandbox.post(endpoint.tokenPath, form: form, basic: (id, secret)) }
        return try await sandbox.post(endpoint.tokenPath, form: form + [("client_id", id), ("client_secret", secret)])
    }

    /// Authorizes and exchanges the code; returns the answer.
    static func exchange(_ sandbox: OAuthTestSandbox, _ endpoint: Endpoint) async throws -> [String: Any] {
        let (id, _) = try client(sandbox, endpoint.provider)
        let authorized = try await sandbox.get(
            endpoint.authorizePath,
            query: [
                ("response_type", "code"), ("client_id", id), ("redirect_uri", OAuthTestSandbox.redirectURI), ("scope", endpoint.scope),
                ("state", "pin"),
            ]
        )
        let code = try #require(try authorized.redirectQuery()["code"], "\(endpoint.provider): \(authorized.status)")
        let result = try await post(
            sandbox,
            endpoint,
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI)]
        )
        #expect(result.status == 200, "\(endpoint.tokenPath): \(result.text)")
        return try result.object()
    }

    static func refresh(_ sandbox: OAuthTestSandbox, _ endpoint: Endpoint, _ token: Any?) async throws -> [String: Any] {
        let token = try #require(token as? String, "\(endpoint.tokenPath): no refresh token")
        let result = try await post(sandbox, endpoint, [("grant_type", "refresh_token"), ("refresh_token", token)])
        #expect(result.status == 200, "\(endpoint.tokenPath): \(result.text)")
        return try result.object()
    }

    static let standard: Set<String> = ["access_token", "token_type", "expires_in", "refresh_token"]
    static let salesforceFields: Set<String> = ["access_token", "token_type", "scope", "instance_url", "id", "issued_at", "signature"]
    static let slackFields: Set<String> = [
        "ok", "app_id", "authed_user", "scope", "token_type", "access_token", "bot_user_id", "team", "enterprise", "is_enterprise_install",
    ]

    @Test func eachProviderAnswersWithItsOwnFields() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let expected: [(Endpoint, exchange: Set<String>, refresh: Set<String>)] = [
                (Self.quickbooks, Self.standard.union(["x_refresh_token_expires_in"]), Self.standard.union(["x_refresh_token_expires_in"])),
                (Self.xero, Self.standard.union(["scope"]), Self.standard.union(["scope"])),
                (Self.salesforce, Self.salesforceFields.union(["refresh_token"]), Self.salesforceFields),
                (Self.hubspotV1, Self.standard, Self.standard),
                (
                    Self.hubspotV3, Self.standard.union(["token_use", "hub_id", "user_id", "scopes"]),
                    Self.standard.union(["token_use", "hub_id", "user_id", "scopes"])
                ),
            ]
            for (endpoint, exchangeFields, refreshFields) in expected {
                let exchanged = try await Self.exchange(sandbox, endpoint)
                #expect(Set(exchanged.keys) == exchangeFields, "\(endpoint.tokenPath) exchange")
                let refreshed = try await Self.refresh(sandbox, endpoint, exchanged["refresh_token"])
                #expect(Set(refreshed.keys) == refreshFields, "\(endpoint.tokenPath) refresh")
            }
            let bot = try await Self.exchange(sandbox, Self.slack)
            #expect(Set(bot.keys) == Self.slackFields, "no expiry and no refresh token without token rotation")
        }
    }

    @Test func rotationAddsTheRefreshTokenToSalesforceAndSlackAnswers() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("salesforce", ["rotate_refresh_tokens": true])
            let salesforce = try await Self.exchange(sandbox, Self.salesforce)
            let rotated = try await Self.refresh(sandbox, Self.salesforce, salesforce["refresh_token"])
            #expect(Set(rotated.keys) == Self.salesforceFields.union(["refresh_token"]))

            try await sandbox.configure("slack", ["token_rotation": true])
            let bot = try await Self.exchange(sandbox, Self.slack)
            #expect(Set(bot.keys) == Self.slackFields.union(["expires_in", "refresh_token"]))
            #expect(bot["expires_in"] as? Int == 43_200)
            let refreshed = try await Self.refresh(sandbox, Self.slack, bot["refresh_token"])
            #expect(Set(refreshed.keys) == Self.slackFields.union(["expires_in", "refresh_token"]))
        }
    }

    @Test func slackAssumesTheCodeExchangeWhenNoGrantIsNamed() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let (id, _) = try Self.client(sandbox, "slack")
            let authorized = try await sandbox.get(
                Self.slack.authorizePath,
                query: [("client_id", id), ("scope", "channels:read"), ("redirect_uri", OAuthTestSandbox.redirectURI)]
            )
            let code = try #require(try authorized.redirectQuery()["code"])
            let install = try await Self.post(sandbox, Self.slack, [("code", code)])
            #expect(try install.object()["ok"] as? Bool == true)
            let other = try await Self.post(sandbox, Self.slack, [("grant_type", "password"), ("code", code)])
            #expect(try other.object()["error"] as? String == "invalid_grant_type", "Slack's name for unsupported_grant_type")
        }
    }

    @Test func aBadClientWithAnUnsupportedGrantIsJudgedInTheProvidersOrder() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let grant = [("grant_type", "password")]
            // Confidential clients only: the client is checked first.
            for endpoint in [Self.quickbooks, Self.hubspotV1, Self.hubspotV3] {
                let wrongSecret = try await Self.post(sandbox, endpoint, grant, secret: "wrong")
                #expect(wrongSecret.status == 401 || wrongSecret.status == 400, "\(endpoint.tokenPath)")
                #expect(wrongSecret.text.contains("invalid_client"), "\(endpoint.tokenPath): \(wrongSecret.text)")
                let rightSecret = try await Self.post(sandbox, endpoint, grant)
                #expect(rightSecret.text.contains("unsupported_grant_type"), "\(endpoint.tokenPath): \(rightSecret.text)")
            }
            // A public client may omit its secret: the grant type is read first.
            for endpoint in [Self.xero, Self.salesforce] {
                let wrongSecret = try await Self.post(sandbox, endpoint, grant, secret: "wrong")
                #expect(wrongSecret.status == 400, "\(endpoint.tokenPath)")
                #expect(wrongSecret.text.contains("unsupported_grant_type"), "\(endpoint.tokenPath): \(wrongSecret.text)")
            }
        }
    }
}
