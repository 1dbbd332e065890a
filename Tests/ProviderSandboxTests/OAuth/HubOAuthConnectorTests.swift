import Foundation
import HubConnectors
import ProviderSandbox
import Testing

/// The hub's OAuth connectors against the sandbox's authorization servers, end to end: connect
/// (authorize → callback → exchange), test, refresh (rotation where the provider rotates), revoke,
/// and the revoked grant refused. The expected account ids come from the sandbox's own servers.
@Suite struct HubOAuthConnectorTests {
    /// What a refresh does to the refresh token.
    enum Refresh {
        /// The same refresh token keeps working (HubSpot, Salesforce by default).
        case kept
        /// A new one is issued and the used one is refused at once (QuickBooks; Xero with its reuse
        /// grace set to 0).
        case rotates
        /// A new one is issued; the used one lasts until its replacement is used (Shopify).
        case rotatesOnceSuccessorUsed
        /// A new one is issued; the used one may be retried for a grace period (Xero's 30 minutes).
        case rotatesWithGrace
        /// No refresh token at all (Slack bot tokens without rotation).
        case none
    }

    /// The shared lifecycle; returns the exchange's tokens and those of the final (revoked) connection.
    @discardableResult
    static func lifecycle<C: OAuthConnector>(
        _ type: C.Type,
        _ harness: HubOAuthHarness,
        account: String,
        parameters: [String: String] = [:],
        refresh: Refresh
    ) async throws -> (connected: OAuthTokens, last: OAuthTokens) {
        let tokens = try await harness.connect(type, parameters: parameters)
        #expect(tokens.accountID == account, "the exchange learns the account")
        let connector = try harness.connector(type, tokens.credentialFields)
        let check = try await connector.testConnection()
        #expect(check.accountID == account)

        var current = tokens
        switch refresh {
        case .none:
            #expect(tokens.refreshToken == nil && tokens.expiresAt == nil, "a token that does not expire")
            let error = await HubOAuthHarness.failure { _ = try await connector.refreshTokens() }
            guard case .unsupported? = error else {
                Issue.record("refreshing without a refresh token: \(String(describing: error))")
                break
            }
        case .kept, .rotates, .rotatesOnceSuccessorUsed, .rotatesWithGrace:
            let original = try #require(tokens.refreshToken, "a refresh token is issued")
            let refreshed = try await connector.refreshTokens()
            #expect(refreshed.accessToken != tokens.accessToken)
            #expect(refreshed.accountID == account, "attributes are carried over")
            current = refreshed
            if case .kept = refresh {
                #expect(refreshed.refreshToken == original)
                #expect(try await connector.refreshTokens().accountID == account, "the same refresh token works again")
            } else {
                #expect(refreshed.refreshToken != original, "rotated")
                if case .rotatesWithGrace = refresh {
                    current = try await connector.refreshTokens()
                    #expect(current.accountID == account, "the used refresh token is let through within the grace")
                    #expect(current.refreshToken != refreshed.refreshToken)
                } else {
                    if case .rotatesOnceSuccessorUsed = refresh {
                        current = try await harness.connector(type, refreshed.credentialFields).refreshTokens()
                    }
                    let reused = await HubOAuthHarness.failure { _ = try await connector.refreshTokens() }
                    #expect(
                        HubOAuthHarness.isAuthenticationFailure(reused),
                        "the used refresh token is refused: \(String(describing: reused))"
                    )
                }
            }
        }

        let latest = try harness.connector(type, current.credentialFields)
        #expect(try await latest.testConnection().accountID == account)
        #expect(try await latest.revokeAccess())
        let afterRevoke = await HubOAuthHarness.failure { _ = try await latest.testConnection() }
        #expect(HubOAuthHarness.isAuthenticationFailure(afterRevoke), "revoked: \(String(describing: afterRevoke))")
        if current.refreshToken != nil {
            let refused = await HubOAuthHarness.failure { _ = try await latest.refreshTokens() }
            #expect(HubOAuthHarness.isAuthenticationFailure(refused), "a revoked grant does not refresh: \(String(describing: refused))")
        }
        return (tokens, current)
    }

    @Test func quickBooks() async throws {
        try await HubOAuthHarness.run { harness in
            let company = harness.sandbox.oauth.quickbooks.server.account
            let realm = company.id
            let (connected, tokens) = try await Self.lifecycle(QuickBooksConnector.self, harness, account: realm, refresh: .rotates)
            #expect(connected.accountName == company.name, "the company's name from CompanyInfo")
            #expect(tokens.credentialFields["realm_id"] == realm)
            #expect(tokens.refreshTokenExpiresAt.map { $0.timeIntervalSinceNow > 8_000_000 } == true, "x_refresh_token_expires_in is read")
            #expect(tokens.expiresAt.map { abs($0.timeIntervalSinceNow - 3600) < 60 } == true)
        }
    }

    @Test func xeroWithPKCE() async throws {
        try await HubOAuthHarness.run { harness in
            let tenant = harness.sandbox.oauth.xero.server.account.id
            let tokens = try await Self.lifecycle(XeroConnector.self, harness, account: tenant, refresh: .rotatesWithGrace).last
            #expect(tokens.credentialFields["tenant_id"] == tenant)
            #expect(tokens.scopes.contains("offline_access"))
            #expect(try await harness.sandbox.stats("xero")["revocations"] == 1)
        }
    }

    @Test func xeroWithStrictRotation() async throws {
        try await HubOAuthHarness.run { harness in
            try await harness.sandbox.configure("xero", ["refresh_grace_seconds": 0])
            let tenant = harness.sandbox.oauth.xero.server.account.id
            try await Self.lifecycle(XeroConnector.self, harness, account: tenant, refresh: .rotates)
        }
    }

    @Test func xeroRefusesAnExchangeWithoutTheVerifier() async throws {
        try await HubOAuthHarness.run { harness in
            let authorized = try await harness.authorize(XeroConnector.self)
            #expect(authorized.verifier != nil, "Xero is sent a PKCE challenge")
            let client = try harness.client("xero")
            let error = await HubOAuthHarness.failure {
                _ = try await XeroConnector.exchangeCode(
                    authorized.value("code") ?? "",
                    codeVerifier: "wrong-verifier-wrong-verifier-wrong-verifier-00",
                    callbackValues: [:],
                    client: client,
                    endpoints: harness.endpoints,
                    transport: HubOAuthHarness.transport
                )
            }
            #expect(HubOAuthHarness.isAuthenticationFailure(error), "invalid_grant: \(String(describing: error))")
        }
    }

    @Test func salesforce() async throws {
        try await HubOAuthHarness.run { harness in
            let org = harness.sandbox.oauth.salesforce.server.account.id
            let tokens = try await Self.lifecycle(SalesforceConnector.self, harness, account: org, refresh: .kept).last
            #expect(tokens.credentialFields["instance_url"] == "\(harness.sandbox.base)/salesforce")
            #expect(tokens.credentialFields["identity_url"]?.contains("/id/\(org)/") == true)
        }
    }

    @Test func hubSpotOnTheV3Endpoints() async throws {
        try await HubOAuthHarness.run { harness in
            let hub = harness.sandbox.oauth.hubspot.server.account.id
            let tokens = try await Self.lifecycle(HubSpotConnector.self, harness, account: hub, refresh: .kept).connected
            #expect(tokens.accountName == harness.sandbox.oauth.hubspot.server.account.name)
            #expect(tokens.scopes.contains("crm.objects.contacts.read"), "the v3 answer's scopes list is read")
            #expect(try await harness.sandbox.stats("hubspot")["revocations"] == 1)
        }
    }

    @Test func slackBotToken() async throws {
        try await HubOAuthHarness.run { harness in
            let team = harness.sandbox.oauth.slack.server.account
            let tokens = try await Self.lifecycle(SlackConnector.self, harness, account: team.id, refresh: .none).connected
            #expect(tokens.accountName == team.name)
            #expect(tokens.accessToken.hasPrefix("xoxb-"))
            #expect(tokens.scopes == ["channels:read", "chat:write", "chat:write.public"], "comma-separated scopes are split")
        }
    }

    /// Rotation as an app setting: Salesforce's connected-app option, Slack's token rotation (which
    /// also makes bot tokens expire).
    @Test func rotationSwitchedOnAsAnAppSetting() async throws {
        try await HubOAuthHarness.run { harness in
            let servers = harness.sandbox.oauth
            try await harness.sandbox.configure("salesforce", ["rotate_refresh_tokens": true])
            try await harness.sandbox.configure("slack", ["token_rotation": true])
            try await Self.lifecycle(SalesforceConnector.self, harness, account: servers.salesforce.server.account.id, refresh: .rotates)
            try await Self.lifecycle(SlackConnector.self, harness, account: servers.slack.server.account.id, refresh: .rotates)
        }
    }

    @Test func shopifyExpiringOfflineTokens() async throws {
        try await HubOAuthHarness.run { harness in
            let shop = "hub-sandbox.myshopify.com"
            let tokens = try await Self.lifecycle(
                ShopifyConnector.self,
                harness,
                account: shop,
                parameters: ["shop_domain": " Hub-Sandbox.myshopify.com "],
                refresh: .rotatesOnceSuccessorUsed
            ).last
            #expect(tokens.credentialFields["shop_domain"] == shop)
            #expect(tokens.expiresAt != nil && tokens.refreshTokenExpiresAt != nil, "expiring=1 was asked for")
        }
    }
}
