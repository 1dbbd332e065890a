import Foundation
import ProviderSandbox
import Testing

/// Intuit's flow end to end, plus the strictness every provider shares (single-use codes, exact
/// redirect URIs, atomic rotation), exercised here on QuickBooks.
@Suite struct QuickBooksOAuthTests {
    static let client = ("quickbooks-sandbox-client", "quickbooks-sandbox-secret")
    static let tokenPath = "/quickbooks/oauth2/v1/tokens/bearer"

    static func authorize(_ sandbox: OAuthTestSandbox, state: String = "st-1", extra: [(String, String)] = []) async throws -> HTTPResult {
        try await sandbox.get(
            "/quickbooks/connect/oauth2",
            query: [
                ("client_id", client.0), ("redirect_uri", OAuthTestSandbox.redirectURI), ("scope", "com.intuit.quickbooks.accounting"),
                ("response_type", "code"), ("state", state),
            ] + extra
        )
    }

    static func connect(_ sandbox: OAuthTestSandbox) async throws -> (realm: String, tokens: [String: Any]) {
        let callback = try await authorize(sandbox).redirectQuery()
        let exchange = try await sandbox.post(
            tokenPath,
            form: [("grant_type", "authorization_code"), ("code", callback["code"] ?? ""), ("redirect_uri", OAuthTestSandbox.redirectURI)],
            basic: client
        )
        #expect(exchange.status == 200, "\(exchange.text)")
        return (try #require(callback["realmId"]), try exchange.object())
    }

    static func refresh(_ sandbox: OAuthTestSandbox, _ token: String) async throws -> HTTPResult {
        try await sandbox.post(tokenPath, form: [("grant_type", "refresh_token"), ("refresh_token", token)], basic: client)
    }

    @Test func connectUseRefreshAndDisconnect() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let authorize = try await Self.authorize(sandbox)
            #expect(authorize.status == 302)
            let callback = try authorize.redirectQuery()
            #expect(callback["state"] == "st-1")
            #expect(callback["realmId"]?.count == 16)
            #expect(authorize.header("location")?.hasPrefix(OAuthTestSandbox.redirectURI + "?") == true)

            let exchange = try await sandbox.post(
                Self.tokenPath,
                form: [
                    ("grant_type", "authorization_code"), ("code", callback["code"] ?? ""), ("redirect_uri", OAuthTestSandbox.redirectURI),
                ],
                basic: Self.client
            )
            let tokens = try exchange.object()
            #expect(tokens["token_type"] as? String == "bearer")
            #expect(tokens["expires_in"] as? Int == 3600)
            #expect(tokens["x_refresh_token_expires_in"] as? Int == 8_726_400)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let realm = try #require(callback["realmId"])

            let info = try await sandbox.get(
                "/quickbooks/v3/company/\(realm)/companyinfo/\(realm)",
                headers: [("Authorization", "Bearer \(access)")]
            )
            #expect(info.status == 200)
            #expect((try info.object()["CompanyInfo"] as? [String: Any])?["Id"] as? String == realm)

            let refreshed = try await Self.refresh(sandbox, refresh).object()
            let newAccess = try #require(refreshed["access_token"] as? String)
            let newRefresh = try #require(refreshed["refresh_token"] as? String)
            #expect(newRefresh != refresh, "QuickBooks rotates refresh tokens")

            let revoke = try await sandbox.post("/quickbooks/v2/oauth2/tokens/revoke", json: ["token": newRefresh], basic: Self.client)
            #expect(revoke.status == 200)
            let refused = try await sandbox.get(
                "/quickbooks/v3/company/\(realm)/companyinfo/\(realm)",
                headers: [("Authorization", "Bearer \(newAccess)")]
            )
            #expect(refused.status == 401)
            let afterRevoke = try await Self.refresh(sandbox, newRefresh)
            #expect(afterRevoke.status == 400)
            #expect(try afterRevoke.object()["error"] as? String == "invalid_grant")
            #expect(sandbox.oauth.tokens.validate(provider: "quickbooks", accessToken: newAccess) == nil)
        }
    }

    @Test func aCodeWorksOnce() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI)]
            #expect(try await sandbox.post(Self.tokenPath, form: form, basic: Self.client).status == 200)
            let again = try await sandbox.post(Self.tokenPath, form: form, basic: Self.client)
            #expect(again.status == 400)
            #expect(try again.object()["error"] as? String == "invalid_grant")
        }
    }

    @Test func redirectURIsAreCheckedAtAuthorizeAndExchange() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let foreign = try await sandbox.get(
                "/quickbooks/connect/oauth2",
                query: [
                    ("client_id", Self.client.0), ("redirect_uri", "https://evil.example.com/cb"),
                    ("scope", "com.intuit.quickbooks.accounting"),
                    ("response_type", "code"), ("state", "s"),
                ]
            )
            #expect(foreign.status == 400, "an unregistered redirect is never followed")
            #expect(foreign.header("location") == nil)

            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            let mismatch = try await sandbox.post(
                Self.tokenPath,
                form: [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost:9/other")],
                basic: Self.client
            )
            #expect(mismatch.status == 400)
            #expect(try mismatch.object()["error"] as? String == "invalid_grant")
        }
    }

    @Test func clientsAuthenticateWithBasicOnly() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox).redirectQuery()["code"] ?? ""
            let inBody = try await sandbox.post(
                Self.tokenPath,
                form: [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI),
                    ("client_id", Self.client.0), ("client_secret", Self.client.1),
                ]
            )
            #expect(inBody.status == 401)
            #expect(try inBody.object()["error"] as? String == "invalid_client")
            let wrongSecret = try await sandbox.post(
                Self.tokenPath,
                form: [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI)],
                basic: (Self.client.0, "nope")
            )
            #expect(wrongSecret.status == 401)
        }
    }

    @Test func aRefusingUserIsRedirectedWithAccessDenied() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let denied = try await Self.authorize(sandbox, state: "st-9", extra: [("sandbox_decision", "deny")]).redirectQuery()
            #expect(denied["error"] == "access_denied")
            #expect(denied["state"] == "st-9")
            #expect(denied["code"] == nil)
            try await sandbox.configure("quickbooks", ["deny_next": 1])
            #expect(try await Self.authorize(sandbox).redirectQuery()["error"] == "access_denied")
            #expect(try await Self.authorize(sandbox).redirectQuery()["code"] != nil, "deny_next is consumed")
        }
    }

    @Test func aRotatedRefreshTokenIsRefusedAndCounted() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let (_, tokens) = try await Self.connect(sandbox)
            let first = try #require(tokens["refresh_token"] as? String)
            let second = try #require(try await Self.refresh(sandbox, first).object()["refresh_token"] as? String)
            let reuse = try await Self.refresh(sandbox, first)
            #expect(reuse.status == 400)
            #expect(try reuse.object()["error"] as? String == "invalid_grant")
            #expect(try await Self.refresh(sandbox, second).status == 200, "the replacement still works")
            let stats = try await sandbox.stats("quickbooks")
            #expect(stats["refreshes"] == 2)
            #expect(stats["refresh_reuse_rejected"] == 1)
        }
    }

    @Test func ofTwentyConcurrentRefreshesExactlyOneWins() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let (_, tokens) = try await Self.connect(sandbox)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let result = try await Self.refresh(sandbox, refresh)
                        return (result.status, (try? result.object())?["error"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count { $0.0 == 200 } == 1)
            #expect(statuses.count { $0.0 == 400 && $0.1 == "invalid_grant" } == 19)
            let stats = try await sandbox.stats("quickbooks")
            #expect(stats["refreshes"] == 1)
            #expect(stats["refresh_reuse_rejected"] == 19)
        }
    }

    @Test func statsCountExactly() async throws {
        try await OAuthTestSandbox.run { sandbox in
            _ = try await Self.authorize(sandbox, extra: [("sandbox_decision", "deny")])
            let (_, tokens) = try await Self.connect(sandbox)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let rotated = try #require(try await Self.refresh(sandbox, refresh).object()["refresh_token"] as? String)
            _ = try await Self.refresh(sandbox, refresh)
            _ = try await sandbox.post("/quickbooks/v2/oauth2/tokens/revoke", json: ["token": rotated], basic: Self.client)
            let stats = try await sandbox.stats("quickbooks")
            #expect(
                stats == [
                    "authorizations": 1, "denials": 1, "code_exchanges": 1, "refreshes": 1, "refresh_reuse_rejected": 1,
                    "refresh_reuse_accepted": 0, "client_credentials_grants": 0, "token_errors": 1, "revocations": 1, "tokens_active": 0,
                ]
            )
        }
    }
}
