import HubCore

/// PayPal's client-credentials grant: the organization's REST app id and secret, by HTTP Basic,
/// for a bearer token of about nine hours (`app_id` names the app). Testing the connection is
/// obtaining a token; revoking ends the cached token (`/v1/oauth2/token/terminate`) — the app's
/// credentials themselves are the organization's to delete in PayPal's dashboard.
extension PayPalConnector: ClientCredentialsConnector {
    public static let apiBaseURL = "https://api-m.paypal.com"
    /// PayPal's own test environment, chosen by the `environment` credential.
    static let sandboxAPIBaseURL = "https://api-m.sandbox.paypal.com"

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .basic,
        accountAttribute: "app_id"
    )

    public func obtainToken() async throws(ConnectorError) -> OAuthTokens {
        let response = try await Self.oauthWire.requestTokens(
            url: try endpointURL(definition: Self.definition.auth.tokenURL),
            grant: [("grant_type", "client_credentials")],
            client: try app(),
            transport: context.transport
        )
        var tokens = try response.tokens(wire: Self.oauthWire)
        tokens.accountID = response.string("app_id")
        if let appID = tokens.accountID { tokens.attributes["app_id"] = appID }
        return tokens
    }

    /// A token can be obtained with the app's credentials.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let tokens = try await obtainToken()
        return ConnectionCheck(accountID: tokens.accountID, accountName: nil)
    }

    /// Terminates the cached access token; false when none is cached.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        guard let token = context.credentials["access_token"], !token.isEmpty else { return false }
        _ = try await Self.oauthWire.call(
            .POST,
            try endpointURL(definition: Self.definition.auth.tokenURL.map { $0 + "/terminate" }),
            headers: ["Authorization": OAuthWire.basic(try app())],
            form: [("token", token), ("token_type_hint", "ACCESS_TOKEN")],
            entity: "oauth_terminate",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }

    /// The organization's app as a client registration (no redirect: there is no browser step).
    func app() throws(ConnectorError) -> OAuthClientRegistration {
        OAuthClientRegistration(clientID: try context.credential("client_id"), clientSecret: try context.credential("client_secret"), redirectURI: "")
    }

    /// A production URL of the definition on this connection's host: PayPal's sandbox host when
    /// `environment` is `sandbox` and no override or provider sandbox stands in, then mapped for
    /// the environment.
    func endpointURL(definition url: String?) throws(ConnectorError) -> String {
        guard let url, url.hasPrefix(Self.apiBaseURL) else { throw .unsupported("PayPal's definition has no token URL") }
        return apiBase() + url.dropFirst(Self.apiBaseURL.count)
    }

    /// This connection's API host: PayPal's sandbox host when `environment` is `sandbox` and no
    /// override or provider sandbox stands in.
    func apiBase() -> String {
        let base = context.baseURL
        return base == Self.apiBaseURL && context.credentials["environment"] == "sandbox" ? Self.sandboxAPIBaseURL : base
    }
}
