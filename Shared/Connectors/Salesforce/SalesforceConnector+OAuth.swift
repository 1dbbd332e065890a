import Crypto
import Foundation
import HubCore

/// Salesforce's OAuth quirks: PKCE, the client in the form body, and a token response that names
/// the org's API host (`instance_url`) and the user's identity URL (`id`,
/// `…/id/<organization id>/<user id>`) — the organization id is the account. The response's
/// `signature` (base64 HMAC-SHA256 of `id` + `issued_at` with the client secret) is checked, so a
/// tampered identity cannot name another org. No `expires_in`: the hub refreshes on a 401.
extension SalesforceConnector: OAuthConnector, StandardOAuthFlow {
    /// The login host; API calls go to the connection's `instance_url`.
    public static let apiBaseURL = "https://login.salesforce.com"

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .body,
        accountAttribute: "organization_id",
        readError: { response, _ in
            // The identity endpoints answer a bad token with a plain-text 403, and the REST API
            // reports a used-up daily allowance as 403 too.
            let text = String(decoding: response.body.prefix(256), as: UTF8.self)
            if response.status == 403 && text.contains("Bad_OAuth_Token") { return .authenticationFailed("Salesforce refused the token") }
            if response.status == 403 && text.contains("REQUEST_LIMIT_EXCEEDED") { return .rateLimited(retryAfter: nil) }
            return nil
        }
    )

    static func attributes(of response: OAuthTokenResponse, client: OAuthClientRegistration) throws(ConnectorError) -> [String: String] {
        guard let instance = response.string("instance_url"), let identity = response.string("id") else {
            throw .invalidResponse("Salesforce's token response has no instance_url or id")
        }
        let issuedAt = response.string("issued_at") ?? ""
        let expected = HMAC<SHA256>.authenticationCode(
            for: Array((identity + issuedAt).utf8),
            using: SymmetricKey(data: Array(client.clientSecret.utf8))
        )
        guard let signature = response.string("signature").flatMap({ Data(base64Encoded: $0) }),
            ConstantTime.equals(Array(expected), Array(signature))
        else {
            throw .invalidResponse("Salesforce's token response signature does not match its identity URL")
        }
        let parts = identity.split(separator: "/")
        guard parts.count >= 3, parts[parts.count - 3] == "id" else { throw .invalidResponse("Salesforce's identity URL is not …/id/<org>/<user>") }
        return ["instance_url": instance, "identity_url": identity, "organization_id": String(parts[parts.count - 2])]
    }

    /// `GET {instance_url}/services/oauth2/userinfo`: the organization the token belongs to.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let info = try await Self.oauthWire.call(
            .GET,
            "\(try context.credential("instance_url"))/services/oauth2/userinfo",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            entity: "userinfo",
            transport: context.transport
        )
        guard let organization = info["organization_id"]?.idText else {
            throw .invalidResponse("Salesforce's userinfo has no organization_id")
        }
        if let expected = context.credentials["organization_id"], expected != organization {
            throw .authenticationFailed("the token belongs to another Salesforce org")
        }
        return ConnectionCheck(accountID: organization, accountName: nil)
    }

    /// Revokes the refresh token, which ends the grant (an access token alone would end only its
    /// session).
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        _ = try await Self.oauthWire.call(
            .POST,
            try revocationURL(),
            form: [("token", try grantToken())],
            entity: "oauth_revoke",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }
}
