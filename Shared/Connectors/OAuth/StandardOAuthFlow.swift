import Foundation
import HubCore

/// An `OAuthConnector` whose provider follows the authorization-code grant with the quirks its
/// `oauthWire` declares. This extension implements the grant once: the authorize URL (PKCE when
/// the definition supports it), the code exchange, learning the account, and the refresh.
/// Connectors implement `testConnection` and `revokeAccess`, and override a hook only where their
/// provider departs from the rule (QuickBooks' `realmId`, Shopify's signed callback and per-shop host).
protocol StandardOAuthFlow: OAuthConnector {
    static var oauthWire: OAuthWire { get }
    var context: ConnectorContext { get }

    /// A production URL of the definition with its placeholders filled from `values` (Shopify's
    /// `{shop}`); the default has none.
    static func productionURL(_ template: String, values: [String: String]) throws(ConnectorError) -> String

    /// Non-secret values a token response carries for later calls (Salesforce's `instance_url`,
    /// Slack's `team_id`), read after the exchange and after every refresh.
    static func attributes(of response: OAuthTokenResponse, client: OAuthClientRegistration) throws(ConnectorError) -> [String: String]

    /// The account a new grant reaches, asked of the provider right after the exchange; the default
    /// is `testConnection()`. Xero overrides it to list the tenants when the grant reaches several
    /// (the check then names no account: the user chooses).
    func describeGrant() async throws(ConnectorError) -> ConnectionCheck
}

extension StandardOAuthFlow {
    static func productionURL(_ template: String, values: [String: String]) throws(ConnectorError) -> String {
        template
    }

    static func attributes(of response: OAuthTokenResponse, client: OAuthClientRegistration) throws(ConnectorError) -> [String: String] {
        [:]
    }

    func describeGrant() async throws(ConnectorError) -> ConnectionCheck {
        try await testConnection()
    }

    // MARK: OAuthConnector

    /// Keeps only the definition's credential fields, each checked against its pattern; a missing
    /// required field is named.
    public static func validateAuthorizationParameters(_ parameters: [String: String]) throws(ConnectorError) -> [String: String] {
        var accepted: [String: String] = [:]
        for field in definition.auth.credentialFields {
            let value = parameters[field.name]?.trimmingWhitespace() ?? ""
            if value.isEmpty {
                if field.required { throw .validation(message: "\(field.label) is required", field: field.name) }
                continue
            }
            guard field.accepts(value) else { throw .validation(message: "\(field.label) is not valid", field: field.name) }
            accepted[field.name] = value
        }
        return accepted
    }

    public static func authorizationURL(
        _ request: AuthorizationRequest,
        client: OAuthClientRegistration,
        endpoints: ProviderEndpoints
    ) throws(ConnectorError) -> String {
        let oauth = try oauthDefinition()
        let wire = oauthWire
        var query = [("client_id", client.clientID)]
        if wire.sendsResponseType { query.append(("response_type", "code")) }
        query += [
            ("redirect_uri", client.redirectURI), ("scope", oauth.scopes.joined(separator: wire.scopeSeparator)), ("state", request.state),
        ]
        if oauth.supportsPKCE, let challenge = request.codeChallenge {
            query += [("code_challenge", challenge), ("code_challenge_method", "S256")]
        }
        let base = endpoints.resolve(try productionURL(oauth.authorizeURL, values: request.parameters), provider: definition.id)
        return base + (base.contains("?") ? "&" : "?") + FormEncoding.pairs(query)
    }

    public static func validateCallback(
        query: [(name: String, value: String)],
        authorization: AuthorizationRequest,
        client: OAuthClientRegistration
    ) throws(ConnectorError) -> [String: String] {
        [:]
    }

    public static func exchangeCode(
        _ code: String,
        codeVerifier: String?,
        callbackValues: [String: String],
        client: OAuthClientRegistration,
        endpoints: ProviderEndpoints,
        transport: ProviderTransport
    ) async throws(ConnectorError) -> OAuthTokens {
        let oauth = try oauthDefinition()
        let wire = oauthWire
        var grant = [("grant_type", "authorization_code"), ("code", code)]
        if wire.sendsRedirectURIAtExchange { grant.append(("redirect_uri", client.redirectURI)) }
        if let codeVerifier { grant.append(("code_verifier", codeVerifier)) }
        grant += wire.exchangeFields
        let url = endpoints.resolve(try productionURL(oauth.tokenURL, values: callbackValues), provider: definition.id)
        let response = try await wire.requestTokens(url: url, grant: grant, client: client, transport: transport)
        var tokens = try response.tokens(wire: wire)
        tokens.attributes = callbackValues.merging(try attributes(of: response, client: client)) { _, fresh in fresh }
        let connector = Self(
            context: ConnectorContext(
                credentials: tokens.credentialFields,
                baseURL: endpoints.apiBase(apiBaseURL, provider: definition.id),
                transport: transport,
                client: client,
                endpoints: endpoints
            )
        )
        let check = try await connector.describeGrant()
        tokens.tenants = check.tenants
        guard let accountID = check.accountID, !accountID.isEmpty else {
            // Several tenants and no choice yet: the user picks one later (`needsTenantChoice`).
            if check.tenants.count > 1 { return tokens }
            throw .invalidResponse("\(wire.name) did not say which account the grant reaches")
        }
        tokens.attributes[wire.accountAttribute] = accountID
        tokens.accountID = accountID
        tokens.accountName = check.accountName
        return tokens
    }

    /// Refreshes with the stored refresh token. A provider that does not rotate sends none back,
    /// so the one used is kept; the stored attributes are carried over, updated by any the answer has.
    public func refreshTokens() async throws(ConnectorError) -> OAuthTokens {
        let wire = Self.oauthWire
        guard let refreshToken = context.credentials["refresh_token"], !refreshToken.isEmpty else {
            throw .unsupported("\(wire.name) issued no refresh token for this connection")
        }
        let client = try context.requireClient(provider: wire.name)
        let url = try endpointURL(Self.oauthDefinition().tokenURL)
        let response = try await wire.requestTokens(
            url: url,
            grant: [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            client: client,
            transport: context.transport
        )
        var tokens = try response.tokens(wire: wire)
        tokens.refreshToken = tokens.refreshToken ?? refreshToken
        var attributes = context.credentials
        attributes["access_token"] = nil
        attributes["refresh_token"] = nil
        tokens.attributes = attributes.merging(try Self.attributes(of: response, client: client)) { _, fresh in fresh }
        tokens.accountID = tokens.attributes[wire.accountAttribute]
        return tokens
    }

    // MARK: Helpers for the connectors

    /// The definition's OAuth facts (every connector adopting this has them).
    static func oauthDefinition() throws(ConnectorError) -> OAuthDefinition {
        guard let oauth = definition.auth.oauth else { throw .unsupported("\(definition.displayName) has no OAuth definition") }
        return oauth
    }

    /// A production URL of the definition (token, revocation, who-am-I) for this connection and
    /// environment.
    func endpointURL(_ template: String) throws(ConnectorError) -> String {
        context.endpoints.resolve(try Self.productionURL(template, values: context.credentials), provider: Self.definition.id)
    }

    /// The definition's revocation URL for this connection.
    func revocationURL() throws(ConnectorError) -> String {
        guard let revoke = try Self.oauthDefinition().revokeURL else {
            throw .unsupported("\(Self.definition.displayName) has no revocation endpoint")
        }
        return try endpointURL(revoke)
    }

    /// The token that stands for the whole grant at a revocation endpoint: the refresh token, or
    /// the access token when the grant has none.
    func grantToken() throws(ConnectorError) -> String {
        if let refresh = context.credentials["refresh_token"], !refresh.isEmpty { return refresh }
        return try context.credential("access_token")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
