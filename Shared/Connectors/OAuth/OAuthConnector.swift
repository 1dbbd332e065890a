import Foundation

/// What the hub sends the browser to the provider with.
public struct AuthorizationRequest: Sendable, Equatable {
    /// The single-use state the callback must bring back.
    public var state: String
    /// The PKCE S256 challenge, when the provider supports PKCE (`OAuthDefinition.supportsPKCE`).
    public var codeChallenge: String?
    /// Provider-specific inputs the user gave, by credential field name (Shopify `shop_domain`),
    /// already validated with `validateAuthorizationParameters`.
    public var parameters: [String: String]

    public init(state: String, codeChallenge: String?, parameters: [String: String] = [:]) {
        self.state = state
        self.codeChallenge = codeChallenge
        self.parameters = parameters
    }
}

/// The provider-specific half of an OAuth 2.0 authorization-code connection. The generic half
/// (state, PKCE verifier, storage, locking, redirects) lives in oauth-service, which calls these
/// without naming a provider.
///
/// Instance methods (`refreshTokens`, `revokeAccess`, `testConnection`) run with a
/// `ConnectorContext` whose credentials are the stored token fields and whose `client` is the
/// hub's registration.
public protocol OAuthConnector: TestableConnector {
    /// Checks and normalizes what the user must give before the redirect (Shopify's shop domain:
    /// lowercased, `*.myshopify.com` only). Throws `validation` naming the field.
    static func validateAuthorizationParameters(_ parameters: [String: String]) throws(ConnectorError) -> [String: String]

    /// The provider's authorization URL, mapped for the environment.
    static func authorizationURL(
        _ request: AuthorizationRequest,
        client: OAuthClientRegistration,
        endpoints: ProviderEndpoints
    ) throws(ConnectorError) -> String

    /// Checks the callback's provider-specific parameters before any exchange (Shopify: the
    /// `hmac` over the query and that `shop` is the shop the authorization named) and returns the
    /// values to keep (QuickBooks `realmId` as `realm_id`, Shopify `shop_domain`). `query` holds
    /// every callback query parameter in order, as received.
    static func validateCallback(
        query: [(name: String, value: String)],
        authorization: AuthorizationRequest,
        client: OAuthClientRegistration
    ) throws(ConnectorError) -> [String: String]

    /// Trades the code for tokens, then learns the account the grant reaches (Xero's tenant from
    /// `/connections`, HubSpot's hub id, Salesforce's identity) so `accountID` is set.
    static func exchangeCode(
        _ code: String,
        codeVerifier: String?,
        callbackValues: [String: String],
        client: OAuthClientRegistration,
        endpoints: ProviderEndpoints,
        transport: ProviderTransport
    ) async throws(ConnectorError) -> OAuthTokens

    /// Refreshes with the stored refresh token. A refused refresh token (`invalid_grant`) throws
    /// `authenticationFailed`; the provider being down throws `unavailable` / `network`.
    /// Attributes the refresh does not return are carried over from the context's credentials.
    func refreshTokens() async throws(ConnectorError) -> OAuthTokens
}

/// A provider the organization connects with its own OAuth client id and secret, traded for a
/// bearer token by the client-credentials grant (PayPal). The token is cached with the
/// connection until it expires.
public protocol ClientCredentialsConnector: TestableConnector {
    /// Obtains a fresh access token with the context's `client_id` and `client_secret`.
    func obtainToken() async throws(ConnectorError) -> OAuthTokens
}
