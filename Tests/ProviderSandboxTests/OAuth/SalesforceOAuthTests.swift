import Foundation
import ProviderSandbox
import Testing

/// Salesforce's web server flow: PKCE, the signed token response without `expires_in`, session vs
/// grant revocation, and opt-in rotation.
@Suite struct SalesforceOAuthTests {
    static let client = ("salesforce-sandbox-client", "salesforce-sandbox-secret")

    static func authorize(_ sandbox: OAuthTestSandbox, challenge: String?, extra: [(String, String)] = []) async throws -> [String: String] {
        var query = [
            ("response_type", "code"), ("client_id", client.0), ("redirect_uri", OAuthTestSandbox.redirectURI),
            ("scope", "api refresh_token"), ("state", "sf"),
        ]
        if let challenge { query.append(("code_challenge", challenge)) }
        let result = try await sandbox.get("/salesforce/services/oauth2/authorize", query: query + extra)
        #expect(result.status == 302)
        return try result.redirectQuery()
    }

    static func exchange(_ sandbox: OAuthTestSandbox, code: String, verifier: String?) async throws -> HTTPResult {
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI),
            ("client_id", client.0), ("client_secret", client.1),
        ]
        if let verifier { form.append(("code_verifier", verifier)) }
        return try await sandbox.post("/salesforce/services/oauth2/token", form: form)
    }

    static func refresh(_ sandbox: OAuthTestSandbox, _ token: String) async throws -> HTTPResult {
        try await sandbox.post(
            "/salesforce/services/oauth2/token",
            form: [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", client.0), ("client_secret", client.1)]
        )
    }

    @Test func connectUseRefreshAndRevoke() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let pkce = OAuthTestSandbox.pkcePair()
            let code = try await Self.authorize(sandbox, challenge: pkce.challenge)["code"] ?? ""
            let tokens = try await Self.exchange(sandbox, code: code, verifier: pkce.verifier).object()
            #expect(tokens["expires_in"] == nil, "Salesforce does not say when a session ends")
            #expect(tokens["instance_url"] as? String == sandbox.base + "/salesforce")
            let id = try #require(tokens["id"] as? String)
            let issuedAt = try #require(tokens["issued_at"] as? String)
            #expect(
                tokens["signature"] as? String == OAuthTestCrypto.salesforceSignature(id: id, issuedAt: issuedAt, secret: Self.client.1)
            )
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)

            let userInfo = try await sandbox.get("/salesforce/services/oauth2/userinfo", headers: [("Authorization", "Bearer \(access)")])
            #expect(userInfo.status == 200)
            let organization = try #require(try userInfo.object()["organization_id"] as? String)
            #expect(organization.hasPrefix("00D"))
            #expect(access.hasPrefix(organization + "!"))
            let identity = try await sandbox.get(id, headers: [("Authorization", "Bearer \(access)")])
            #expect(try identity.object()["id"] as? String == id)

            let refreshed = try await Self.refresh(sandbox, refresh).object()
            #expect(refreshed["refresh_token"] == nil, "no rotation unless the connected app enables it")
            let newAccess = try #require(refreshed["access_token"] as? String)

            #expect(try await sandbox.post("/salesforce/services/oauth2/revoke", form: [("token", access)]).status == 200)
            #expect(
                try await sandbox.get("/salesforce/services/oauth2/userinfo", headers: [("Authorization", "Bearer \(access)")]).status
                    == 403
            )
            #expect(
                try await sandbox.get("/salesforce/services/oauth2/userinfo", headers: [("Authorization", "Bearer \(newAccess)")]).status
                    == 200,
                "revoking an access token ends that session only"
            )

            #expect(try await sandbox.post("/salesforce/services/oauth2/revoke", form: [("token", refresh)]).status == 200)
            #expect(
                try await sandbox.get("/salesforce/services/oauth2/userinfo", headers: [("Authorization", "Bearer \(newAccess)")]).status
                    == 403
            )
            let refused = try await Self.refresh(sandbox, refresh)
            #expect(refused.status == 400)
            #expect(try refused.object()["error"] as? String == "invalid_grant")
            let unknown = try await sandbox.post("/salesforce/services/oauth2/revoke", form: [("token", refresh)])
            #expect(unknown.status == 400)
        }
    }

    @Test func aWrongVerifierIsRefused() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let pkce = OAuthTestSandbox.pkcePair()
            let code = try await Self.authorize(sandbox, challenge: pkce.challenge)["code"] ?? ""
            let refused = try await Self.exchange(sandbox, code: code, verifier: String(pkce.verifier.reversed()))
            #expect(refused.status == 400)
            let body = try refused.object()
            #expect(body["error"] as? String == "invalid_grant")
            #expect(body["error_description"] as? String == "invalid code verifier")
        }
    }

    @Test func errorsUseSalesforceNames() async throws {
        try await OAuthTestSandbox.run { sandbox in
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let unknownClient = try await sandbox.post(
                "/salesforce/services/oauth2/token",
                form: [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestSandbox.redirectURI),
                    ("client_id", "nobody"), ("client_secret", "x"),
                ]
            )
            #expect(try unknownClient.object()["error"] as? String == "invalid_client_id")
            let mismatch = try await sandbox.post(
                "/salesforce/services/oauth2/token",
                form: [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://localhost:1/elsewhere"),
                    ("client_id", Self.client.0), ("client_secret", Self.client.1),
                ]
            )
            #expect(try mismatch.object()["error"] as? String == "redirect_uri_mismatch")
            let denied = try await Self.authorize(sandbox, challenge: nil, extra: [("sandbox_decision", "deny")])
            #expect(denied["error"] == "access_denied")
            #expect(denied["error_description"] == "end-user denied authorization")
        }
    }

    @Test func rotationCanBeSwitchedOn() async throws {
        try await OAuthTestSandbox.run { sandbox in
            try await sandbox.configure("salesforce", ["rotate_refresh_tokens": true])
            let code = try await Self.authorize(sandbox, challenge: nil)["code"] ?? ""
            let refresh = try #require(try await Self.exchange(sandbox, code: code, verifier: nil).object()["refresh_token"] as? String)
            let rotated = try await Self.refresh(sandbox, refresh).object()["refresh_token"] as? String
            #expect(rotated != nil && rotated != refresh)
            #expect(try await Self.refresh(sandbox, refresh).status == 400)
        }
    }
}
