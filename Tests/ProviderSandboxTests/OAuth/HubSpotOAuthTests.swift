import Foundation
import ProviderSandbox
import Testing

/// HubSpot: 30-minute access tokens, a refresh token that never changes, token metadata, and
/// revocation by deleting the refresh token.
@Suite struct HubSpotOAuthTests {
    static let client = ("hubspot-sandbox-client", "hubspot-sandbox-secret")

    static func authorize(_ sandbox: OAuthTestSandbox, extra: [(String, String)] = []) async throws -> [String: String] {
        let result = try await sandbox.get(
            "/hubspot/oauth/authorize",
            query: [
                ("client_id", client.0), ("scope", "oauth crm.objects.contacts.read crm.objects.contacts.write"),
                ("redirect_uri", OAuthTestSandbox.redirectURI), ("state", "hs"),
            ] + extra)
        #expect(result.status == 302)
        return try result.redirectQuery()
    }

    static func token(_ sandbox: OAuthTestSandbox, _ grant: [(String, String)]) async throws -> HTTPResult {
        try await sandbox.post(
            "/hubspot/oauth/v1/token",
            form: grant + [("client_id", client.0), ("client_secret", client.1), ("redirect_uri", OAuthTestSandbox.redirectURI)])
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
}
