import Foundation
import ProviderSandbox
import Testing

/// Xero: PKCE, `offline_access`, rotation with Xero's 30-minute reuse grace (or strict rotation when
/// a test sets `refresh_grace_seconds` to 0), and the connections list.
@Suite struct XeroOAuthTests {
    static let client = ("xero-sandbox-client", "xero-sandbox-secret")
    static let scopes = "offline_access accounting.contacts accounting.invoices"

    static func authorize(_ sandbox: OAuthTestSandbox, challenge: String?, scope: String = scopes) async throws -> [String: String] {
        var query = [
            ("response_type", "code"), ("client_id", client.0), ("redirect_uri", OAuthTestSandbox.redirectURI), ("scope", scope),
            ("state", "x1"),
        ]
        if let challenge { query += [("code_challenge", challenge), ("code_challenge_method", "S256")] }
        let result = try await sandbox.get("/xero/identity/connect/authorize", query: query)
        #expect(result.status == 302)
        return try result.redirectQuery()
    }

    static func exchange(
        _ sandbox: OAuthTestSandbox,
        code: String,
        verifier: String?,
        basic: (String, String)? = client
    ) async throws -> HTTPResult {
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI)]
        if let verifier { form.append(("code_verifier", verifier)) }
        if basic == nil { form.append(("client_id", client.0)) }
        return try await sandbox.post("/xero/connect/token", form: form, basic: basic)
    }

    static func refresh(_ sandbox: OAuthTestSandbox, _ token: String) async throws -> HTTPResult {
        try await sandbox.post("/xero/connect/token", form: [("grant_type", "refresh_token"), ("refresh_token", token)], basic: client)
    }

    @Test func connectWithPKCEUseRefreshAndRevoke() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let pkce = OAuthTestSandbox.pkcePair()
            let callback = try await Self.authorize(sandbox, challenge: pkce.challenge)
            #expect(callback["state"] == "x1")
            let tokens = try await Self.exchange(sandbox, code: callback["code"] ?? "", verifier: pkce.verifier).object()
            #expect(tokens["expires_in"] as? Int == 1800)
            #expect(tokens["token_type"] as? String == "Bearer")
            #expect(tokens["scope"] as? String == Self.scopes)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)

            let connections = try await sandbox.get("/xero/connections", headers: [("Authorization", "Bearer \(access)")])
            #expect(connections.status == 200)
            let tenants = try #require(try JSONSerialization.jsonObject(with: Data(connections.body)) as? [[String: Any]])
            #expect(tenants.count == 1)
            #expect(tenants.first?["tenantType"] as? String == "ORGANISATION")
            #expect((tenants.first?["tenantId"] as? String)?.count == 36)

            let refreshed = try await Self.refresh(sandbox, refresh).object()
            let rotated = try #require(refreshed["refresh_token"] as? String)
            #expect(rotated != refresh)
            let newAccess = try #require(refreshed["access_token"] as? String)

            let revoke = try await sandbox.post("/xero/connect/revocation", form: [("token", rotated)], basic: Self.client)
            #expect(revoke.status == 200)
            #expect(try await sandbox.get("/xero/connections", headers: [("Authorization", "Bearer \(newAccess)")]).status == 401)
            #expect(try await Self.refresh(sandbox, rotated).status == 400)
            #expect(try await sandbox.stats("xero")["revocations"] == 1)
        }
    }

    @Test func aWrongOrMissingVerifierIsRefused() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let pkce = OAuthTestSandbox.pkcePair()
            let code = try await Self.authorize(sandbox, challenge: pkce.challenge)["code"] ?? ""
            let wrong = try await Self.exchange(sandbox, code: code, verifier: OAuthTestSandbox.pkcePair().verifier)
            #expect(wrong.status == 400)
            #expect(try wrong.object()["error"] as? String == "invalid_grant")
            let missing = try await Self.exchange(sandbox, code: code, verifier: nil)
            #expect(try missing.object()["error"] as? String == "invalid_grant")
            #expect(
                try await Self.exchange(sandbox, code: code, verifier: pkce.verifier).status == 200,
                "a refused attempt does not burn the code"
            )
        }
    }

    @Test func aPublicClientNeedsPKCE() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let pkce = OAuthTestSandbox.pkcePair()
            let code = try await Self.authorize(sandbox, challenge: pkce.challenge)["code"] ?? ""
            let publicTokens = try await Self.exchange(sandbox, code: code, verifier: pkce.verifier, basic: nil).object()
            let publicRefresh = try #require(publicTokens["refresh_token"] as? String)
            let refreshWithoutSecret = try await sandbox.post(
                "/xero/connect/token",
                form: [("grant_type", "refresh_token"), ("refresh_token", publicRefresh), ("client_id", Self.client.0)]
            )
            #expect(refreshWithoutSecret.status == 200, "a public client refreshes with its id alone")

            let confidential = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let confidentialRefresh = try #require(
                try await Self.exchange(sandbox, code: confidential, verifier: nil).object()["refresh_token"] as? String
            )
            let secretless = try await sandbox.post(
                "/xero/connect/token",
                form: [("grant_type", "refresh_token"), ("refresh_token", confidentialRefresh), ("client_id", Self.client.0)]
            )
            #expect(try secretless.object()["error"] as? String == "invalid_client", "a confidential grant needs the secret")

            let plain = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let refused = try await Self.exchange(sandbox, code: plain, verifier: pkce.verifier, basic: nil)
            #expect(refused.status == 400)
            #expect(try refused.object()["error"] as? String == "invalid_client")
        }
    }

    @Test func anExpiredCodeIsRefused() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("xero", ["code_ttl_seconds": 0])
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let expired = try await Self.exchange(sandbox, code: code, verifier: nil)
            #expect(expired.status == 400)
            #expect(try expired.object()["error"] as? String == "invalid_grant")
        }
    }

    @Test func withoutOfflineAccessThereIsNoRefreshToken() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox, challenge: nil, scope: "accounting.contacts")["code"] ?? ""
            let tokens = try await Self.exchange(sandbox, code: code, verifier: nil).object()
            #expect(tokens["access_token"] is String)
            #expect(tokens["refresh_token"] == nil)
        }
    }

    @Test func unknownScopesAreRedirectedAsInvalidScope() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let callback = try await Self.authorize(sandbox, challenge: nil, scope: "offline_access accounting.nonsense.read bogus")
            #expect(callback["error"] == "invalid_scope")
            #expect(callback["state"] == "x1")
        }
    }

    @Test func byDefaultTheUsedTokenMayBeRetriedWithinXerosGrace() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let refresh = try #require(try await Self.exchange(sandbox, code: code, verifier: nil).object()["refresh_token"] as? String)
            #expect(try await Self.refresh(sandbox, refresh).status == 200)
            #expect(try await Self.refresh(sandbox, refresh).status == 200, "retried within the grace period")
            let stats = try await sandbox.stats("xero")
            #expect(stats["refreshes"] == 2)
            #expect(stats["refresh_reuse_accepted"] == 1)
            #expect(stats["refresh_reuse_rejected"] == 0)
        }
    }

    @Test func withStrictRotationTheUsedTokenIsRefusedAtOnce() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("xero", ["refresh_grace_seconds": 0])
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let refresh = try #require(try await Self.exchange(sandbox, code: code, verifier: nil).object()["refresh_token"] as? String)
            #expect(try await Self.refresh(sandbox, refresh).status == 200)
            let reused = try await Self.refresh(sandbox, refresh)
            #expect(reused.status == 400)
            #expect(try reused.object()["error"] as? String == "invalid_grant")
            #expect(try await sandbox.stats("xero")["refresh_reuse_rejected"] == 1)
        }
    }

    /// Needs strict rotation: within Xero's grace every one of them would be let through.
    @Test func withStrictRotationOfTwentyConcurrentRefreshesExactlyOneWins() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("xero", ["refresh_grace_seconds": 0])
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let refresh = try #require(try await Self.exchange(sandbox, code: code, verifier: nil).object()["refresh_token"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await Self.refresh(sandbox, refresh).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count { $0 == 200 } == 1)
            #expect(statuses.count { $0 == 400 } == 19)
            #expect(try await sandbox.stats("xero")["refresh_reuse_rejected"] == 19)
        }
    }
}
