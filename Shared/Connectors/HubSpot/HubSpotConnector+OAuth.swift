import HubCore

/// HubSpot's OAuth quirks (v3 API): the client id and secret travel in the form body of every
/// call, token metadata comes from introspection (`active`, `hub_id`, `hub_domain`) rather than a
/// call with the token, and revoking the refresh token ends the grant.
extension HubSpotConnector: OAuthConnector, StandardOAuthFlow {
    public static let apiBaseURL = "https://api.hubapi.com"
    /// RFC 7662-style introspection of an access or refresh token.
    static let introspectionURL = "https://api.hubapi.com/oauth/v3/token/introspect"

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .body,
        accountAttribute: "hub_id"
    )

    /// Introspects the access token: an inactive one (expired, revoked, another app's) is refused.
    /// Introspection needs the client secret, which only oauth-service reads; elsewhere the
    /// token's own account details (`GET /account-info/v3/details`) name the portal.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        guard let client = context.client, !client.clientSecret.isEmpty else {
            let (details, _) = try await call(.GET, "account-info/v3/details", entity: "account_info")
            guard let portal = details["portalId"]?.idText else { throw .invalidResponse("HubSpot's account details have no portalId") }
            return ConnectionCheck(accountID: portal, accountName: details["uiDomain"]?.stringValue)
        }
        let info = try await Self.oauthWire.call(
            .POST,
            try endpointURL(Self.introspectionURL),
            form: [("token", try context.credential("access_token")), ("token_type_hint", "access_token")] + client.formFields,
            entity: "token_introspect",
            transport: context.transport,
            isIdempotent: true
        )
        guard info["active"] == .bool(true) else { throw .authenticationFailed("HubSpot says the access token is not active") }
        guard let hubID = info["hub_id"]?.idText else { throw .invalidResponse("HubSpot's introspection has no hub_id") }
        return ConnectionCheck(accountID: hubID, accountName: info["hub_domain"]?.idText)
    }

    /// Revokes the refresh token, which uninstalls nothing but ends the hub's grant.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        let client = try context.requireClient(provider: Self.oauthWire.name)
        _ = try await Self.oauthWire.call(
            .POST,
            try revocationURL(),
            form: [("token", try context.credential("refresh_token")), ("token_type_hint", "refresh_token")] + client.formFields,
            entity: "oauth_revoke",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }
}
