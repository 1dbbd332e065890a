import Foundation
import ProviderSandbox
import Testing

/// Slack: bot tokens that never expire by default, token rotation when switched on, and errors as
/// HTTP 200 with `ok: false`.
@Suite struct SlackOAuthTests {
    static let client = ("slack-sandbox-client", "slack-sandbox-secret")

    static func authorize(_ sandbox: OAuthTestSandbox, extra: [(String, String)] = []) async throws -> [String: String] {
        let result = try await sandbox.get(
            "/slack/oauth/v2/authorize",
            query: [
                ("client_id", client.0), ("scope", "channels:read,chat:write,chat:write.public"),
                ("redirect_uri", OAuthTestSandbox.redirectURI), ("state", "sl"),
            ] + extra
        )
        #expect(result.status == 302)
        return try result.redirectQuery()
    }

    static func access(
        _ sandbox: OAuthTestSandbox,
        _ form: [(String, String)],
        basic: (String, String)? = client
    ) async throws -> HTTPResult {
        try await sandbox.post("/slack/api/oauth.v2.access", form: form, basic: basic)
    }

    @Test func installTestAndRevokeABotToken() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let callback = try await Self.authorize(sandbox)
            #expect(Set(callback.keys) == ["code", "state"], "Slack adds nothing to the callback")
            let result = try await Self.access(
                sandbox,
                [
                    ("code", callback["code"] ?? ""), ("redirect_uri", OAuthTestSandbox.redirectURI),
                    ("client_id", Self.client.0), ("client_secret", Self.client.1),
                ],
                basic: nil
            )
            let install = try result.object()
            #expect(install["ok"] as? Bool == true)
            #expect(install["token_type"] as? String == "bot")
            #expect(install["expires_in"] == nil && install["refresh_token"] == nil, "no rotation, no expiry")
            #expect(install["scope"] as? String == "channels:read,chat:write,chat:write.public")
            let token = try #require(install["access_token"] as? String)
            #expect(token.hasPrefix("xoxb-"))
            let team = try #require(install["team"] as? [String: Any])
            #expect((install["bot_user_id"] as? String)?.hasPrefix("U") == true)

            let whoami = try await sandbox.post("/slack/api/auth.test", form: [], headers: [("Authorization", "Bearer \(token)")]).object()
            #expect(whoami["ok"] as? Bool == true)
            #expect(whoami["team_id"] as? String == team["id"] as? String)

            let dryRun = try await sandbox.post("/slack/api/auth.revoke", form: [("token", token), ("test", "1")]).object()
            #expect(dryRun["revoked"] as? Bool == false)
            let revoke = try await sandbox.post("/slack/api/auth.revoke", form: [], headers: [("Authorization", "Bearer \(token)")])
            #expect(try revoke.object()["revoked"] as? Bool == true)
            let after = try await sandbox.post("/slack/api/auth.test", form: [("token", token)])
            #expect(after.status == 200)
            #expect(try after.object()["error"] as? String == "token_revoked")
            #expect(try await sandbox.stats("slack")["revocations"] == 1)
        }
    }

    @Test func withTokenRotationTokensExpireAndRefreshOnce() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("slack", ["token_rotation": true])
            let code = try await Self.authorize(sandbox)["code"] ?? ""
            let install = try await Self.access(sandbox, [("code", code)]).object()
            #expect(install["expires_in"] as? Int == 43_200)
            let refresh = try #require(install["refresh_token"] as? String)
            #expect(refresh.hasPrefix("xoxe-1-"))
            let refreshed = try await Self.access(sandbox, [("grant_type", "refresh_token"), ("refresh_token", refresh)]).object()
            #expect(refreshed["ok"] as? Bool == true)
            let newAccess = try #require(refreshed["access_token"] as? String)
            #expect(newAccess.hasPrefix("xoxe.xoxb-1-"))
            #expect(try await sandbox.post("/slack/api/auth.test", form: [("token", newAccess)]).object()["ok"] as? Bool == true)
            let reuse = try await Self.access(sandbox, [("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(reuse.status == 200)
            #expect(try reuse.object()["error"] as? String == "invalid_refresh_token")
        }
    }

    @Test func errorsAreOKFalseWithStatus200() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let badCode = try await Self.access(sandbox, [("code", "nope")])
            #expect(badCode.status == 200)
            #expect(try badCode.object()["error"] as? String == "invalid_code")
            let code = try await Self.authorize(sandbox)["code"] ?? ""
            let badSecret = try await Self.access(sandbox, [("code", code)], basic: (Self.client.0, "wrong"))
            #expect(try badSecret.object()["error"] as? String == "bad_client_secret")
            let badRedirect = try await Self.access(sandbox, [("code", code), ("redirect_uri", "http://localhost:2/x")])
            #expect(try badRedirect.object()["error"] as? String == "bad_redirect_uri")
            #expect(try await Self.access(sandbox, [("code", code)]).object()["ok"] as? Bool == true)
            let denied = try await Self.authorize(sandbox, extra: [("sandbox_decision", "deny")])
            #expect(denied["error"] == "access_denied")
            #expect(denied["state"] == "sl")
        }
    }
}
