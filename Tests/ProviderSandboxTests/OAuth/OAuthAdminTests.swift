import Foundation
import ProviderSandbox
import Testing

/// The admin controls tests of the hub rely on: lifetimes, expiring and revoking single tokens,
/// extra clients, resets, and faults rendered in each provider's shape.
@Suite struct OAuthAdminTests {
    @Test func accessTokenLifetimesCanBeShortened() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("hubspot", ["access_token_ttl_seconds": 5])
            let settings = try await sandbox.get("/_admin/hubspot/oauth").object()
            #expect(settings["access_token_ttl_seconds"] as? Int == 5)
            let code = try await HubSpotOAuthTests.authorize(sandbox)["code"] ?? ""
            let tokens = try await HubSpotOAuthTests.token(sandbox, [("grant_type", "authorization_code"), ("code", code)]).object()
            #expect(tokens["expires_in"] as? Int == 5)
        }
    }

    @Test func aSingleTokenCanBeExpiredNow() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let (realm, tokens) = try await QuickBooksOAuthTests.connect(sandbox)
            let access = try #require(tokens["access_token"] as? String)
            let expire = try await sandbox.post("/_admin/quickbooks/oauth/tokens/expire", json: ["token": access])
            #expect(expire.status == 204)
            let refused = try await sandbox.get(
                "/quickbooks/v3/company/\(realm)/companyinfo/\(realm)",
                headers: [("Authorization", "Bearer \(access)")]
            )
            #expect(refused.status == 401)
            #expect(try await sandbox.stats("quickbooks")["tokens_active"] == 0)
            #expect(
                try await QuickBooksOAuthTests.refresh(sandbox, tokens["refresh_token"] as? String ?? "").status == 200,
                "the refresh token still works"
            )
            #expect(try await sandbox.post("/_admin/quickbooks/oauth/tokens/expire", json: ["token": "nope"]).status == 404)
        }
    }

    @Test func aUserDisconnectIsNotAClientRevocation() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let (_, tokens) = try await QuickBooksOAuthTests.connect(sandbox)
            let refresh = try #require(tokens["refresh_token"] as? String)
            #expect(try await sandbox.post("/_admin/quickbooks/oauth/tokens/revoke", json: ["token": refresh]).status == 204)
            #expect(try await QuickBooksOAuthTests.refresh(sandbox, refresh).status == 400)
            #expect(try await sandbox.stats("quickbooks")["revocations"] == 0)
        }
    }

    @Test func clientsCanBeRegisteredAndStateReset() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let register = try await sandbox.post("/_admin/xero/oauth/clients", json: ["client_id": "second-app", "client_secret": "s2"])
            #expect(register.status == 201)
            let clients =
                try JSONSerialization.jsonObject(with: Data(try await sandbox.get("/_admin/xero/oauth/clients").body)) as? [String]
            #expect(clients == ["second-app", "xero-sandbox-client"])
            let authorize = try await sandbox.get(
                "/xero/identity/connect/authorize",
                query: [
                    ("response_type", "code"), ("client_id", "second-app"), ("redirect_uri", "http://localhost:8080/cb"),
                    ("scope", "offline_access"),
                ]
            )
            #expect(authorize.status == 302)
            let code = try authorize.redirectQuery()["code"] ?? ""
            let exchange = try await sandbox.post(
                "/xero/connect/token",
                form: [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost:8080/cb")],
                basic: ("second-app", "s2")
            )
            #expect(exchange.status == 200)
            let listed =
                try JSONSerialization.jsonObject(with: Data(try await sandbox.get("/_admin/xero/oauth/tokens").body)) as? [[String: Any]]
            #expect(listed?.count == 2)

            #expect(try await sandbox.send(.DELETE, "/_admin/xero/oauth/stats").status == 204)
            #expect(try await sandbox.stats("xero")["code_exchanges"] == 0)
            #expect(try await sandbox.stats("xero")["tokens_active"] == 1)
            #expect(try await sandbox.send(.DELETE, "/_admin/xero/oauth").status == 204)
            #expect(try await sandbox.stats("xero")["tokens_active"] == 0)
        }
    }

    @Test func injectedFaultsUseTheProvidersShapes() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let faults = try await sandbox.send(
                .PUT,
                "/_admin/faults/slack",
                headers: [("Content-Type", "application/json")],
                body: Array(#"{"expire_credentials": true}"#.utf8)
            )
            #expect(faults.status == 200)
            let slack = try await sandbox.post("/slack/api/auth.test", form: [("token", "xoxb-anything")])
            #expect(slack.status == 200)
            #expect(try slack.object()["error"] as? String == "invalid_auth")
            _ = try await sandbox.send(
                .PUT,
                "/_admin/faults/quickbooks",
                headers: [("Content-Type", "application/json")],
                body: Array(#"{"rate_limit_next": 1, "retry_after_seconds": 3}"#.utf8)
            )
            let limited = try await QuickBooksOAuthTests.refresh(sandbox, "anything")
            #expect(limited.status == 429)
            #expect(limited.header("retry-after") == "3")
        }
    }
}
