import Foundation
import ProviderSandbox
import Testing

/// HubSpot: 30-minute access tokens, a refresh token that never changes, token metadata, and
/// revocation — on the v3 API (form bodies throughout) and the v1 API retired on 2027-02-16.
@Suite struct HubSpotOAuthTests {
    static let client = ("hubspot-sandbox-client", "hubspot-sandbox-secret")

    static func authorize(_ sandbox: OAuthTestSandbox, extra: [(String, String)] = []) async throws -> [String: String] {
        let result = try await sandbox.get(
            "/hubspot/oauth/authorize",
            query: [
                ("client_id", client.0), ("scope", "oauth crm.objects.contacts.read crm.objects.contacts.write"),
                ("redirect_uri", OAuthTestSandbox.redirectURI), ("state", "hs"),
            ] + extra
        )
        #expect(result.status == 302)
        return try result.redirectQuery()
    }

    static func token(_ sandbox: OAuthTestSandbox, _ grant: [(String, String)]) async throws -> HTTPResult {
        try await sandbox.post(
            "/hubspot/oauth/v1/token",
            form: grant + [("client_id", client.0), ("client_secret", client.1), ("redirect_uri", OAuthTestSandbox.redirectURI)]
        )
    }

    @Test func connectInspectRefreshAndRevoke() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let callback = try await Self.authorize(sandbox, extra: [("optional_scope", "crm.objects.deals.read")])
            #expect(callback["state"] == "hs")
            let tokens = try await Self.token(sandbox, [("grant_type", "authorization_code"), ("code", callback["code"] ?? "")]).object()
            #expect(tokens["token_type"] as? String == "bearer")
            #expect(tokens["expires_in"] as? Int == 1800)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)

            let info = try await sandbox.get("/hubspot/oauth/v1/access-tokens/\(access)").object()
            #expect(info["hub_id"] is Int)
            #expect(info["token_type"] as? String == "access")
            #expect((info["scopes"] as? [String])?.contains("crm.objects.deals.read") == true, "optional scopes are granted")

            let refreshed = try await Self.token(sandbox, [("grant_type", "refresh_token"), ("refresh_token", refresh)]).object()
            #expect(refreshed["refresh_token"] as? String == refresh, "HubSpot does not rotate refresh tokens")
            let newAccess = try #require(refreshed["access_token"] as? String)
            #expect(newAccess != access)
            #expect(try await Self.token(sandbox, [("grant_type", "refresh_token"), ("refresh_token", refresh)]).status == 200)

            let refreshInfo = try await sandbox.get("/hubspot/oauth/v1/refresh-tokens/\(refresh)").object()
            #expect(refreshInfo["client_id"] as? String == Self.client.0)

            #expect(try await sandbox.send(.DELETE, "/hubspot/oauth/v1/refresh-tokens/\(refresh)").status == 204)
            let refused = try await Self.token(sandbox, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(refused.status == 400)
            let body = try refused.object()
            #expect(body["status"] as? String == "BAD_REFRESH_TOKEN")
            #expect(body["error"] as? String == "invalid_grant")
            #expect(try await sandbox.get("/hubspot/oauth/v1/access-tokens/\(newAccess)").status == 401)
            #expect(try await sandbox.stats("hubspot")["revocations"] == 1)
        }
    }

    @Test func aBadCodeAnswersInBothErrorShapes() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let refused = try await Self.token(sandbox, [("grant_type", "authorization_code"), ("code", "not-a-code")])
            #expect(refused.status == 400)
            let body = try refused.object()
            #expect(body["status"] as? String == "BAD_AUTH_CODE")
            #expect(body["message"] as? String == "missing or unknown auth code")
            #expect(body["error"] as? String == "invalid_grant")
            #expect(body["correlationId"] is String)
        }
    }

    static func v3(_ sandbox: OAuthTestSandbox, _ path: String, _ form: [(String, String)], version: String = "v3") async throws -> HTTPResult {
        try await sandbox.post("/hubspot/oauth/\(version)/\(path)", form: form + [("client_id", client.0), ("client_secret", client.1)])
    }

    @Test func theV3APIConnectsIntrospectsAndRevokes() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let callback = try await Self.authorize(sandbox)
            let exchange = try await Self.v3(
                sandbox,
                "token",
                [("grant_type", "authorization_code"), ("code", callback["code"] ?? ""), ("redirect_uri", OAuthTestSandbox.redirectURI)]
            )
            #expect(exchange.status == 200, "\(exchange.text)")
            let tokens = try exchange.object()
            let hubID = try #require(Int(sandbox.oauth.hubspot.server.account.id))
            #expect(tokens["hub_id"] as? Int == hubID)
            #expect(tokens["token_use"] as? String == "access_token")
            #expect(tokens["scopes"] as? [String] == ["oauth", "crm.objects.contacts.read", "crm.objects.contacts.write"])
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)

            let active = try await Self.v3(sandbox, "token/introspect", [("token", access), ("token_type_hint", "access_token")]).object()
            #expect(active["active"] as? Bool == true)
            #expect(active["hub_id"] as? Int == hubID)
            #expect(active["client_id"] as? String == Self.client.0)
            #expect(active["token_use"] as? String == "access_token")
            let refreshInfo = try await Self.v3(sandbox, "token/introspect", [("token", refresh)], version: "2026-03").object()
            #expect(refreshInfo["token_use"] as? String == "refresh_token", "the date-versioned alias answers too")
            let unknown = try await Self.v3(sandbox, "token/introspect", [("token", "not-a-token")]).object()
            #expect(unknown.keys.sorted() == ["active"] && unknown["active"] as? Bool == false)

            let refreshed = try await Self.v3(sandbox, "token", [("grant_type", "refresh_token"), ("refresh_token", refresh)]).object()
            #expect(refreshed["refresh_token"] as? String == refresh)

            #expect(try await Self.v3(sandbox, "token/revoke", [("token", refresh), ("token_type_hint", "refresh_token")]).status == 200)
            let inactive = try await Self.v3(sandbox, "token/introspect", [("token", access)]).object()
            #expect(inactive["active"] as? Bool == false, "revoking the refresh token ends the grant")
            let refused = try await Self.v3(sandbox, "token", [("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(refused.status == 400)
            #expect(try refused.object()["error"] as? String == "invalid_grant")
            #expect(try await Self.v3(sandbox, "token/revoke", [("token", "not-a-token")]).status == 200, "RFC 7009: unknown tokens too")
            #expect(try await sandbox.stats("hubspot")["revocations"] == 1)
        }
    }

    @Test func theV3APIAuthenticatesTheClient() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let refused = try await sandbox.post(
                "/hubspot/oauth/v3/token/introspect",
                form: [("token", "x"), ("client_id", Self.client.0), ("client_secret", "wrong")]
            )
            #expect(refused.status == 400)
            #expect(try refused.object()["error"] as? String == "invalid_client")
        }
    }
}
