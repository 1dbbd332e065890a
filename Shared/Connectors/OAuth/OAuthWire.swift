import HubCore

/// How one provider's OAuth endpoints differ from plain RFC 6749. Everything else — the form POST,
/// client authentication, reading token responses and OAuth error bodies — is shared
/// (`OAuthWire+Requests.swift`, `OAuthTokenResponse`, `OAuthErrorMapper`), so a provider states
/// only these facts.
struct OAuthWire: Sendable {
    /// Where the token endpoint expects the hub's client id and secret.
    enum ClientAuthentication: Sendable {
        /// `Authorization: Basic base64(id:secret)` (QuickBooks, Xero, PayPal).
        case basic
        /// `client_id` and `client_secret` in the form body (Salesforce, HubSpot, Slack, Shopify).
        case body
    }

    /// The provider id, for metrics.
    var provider: String
    /// The provider's name, for messages.
    var name: String
    var clientAuthentication: ClientAuthentication
    /// What joins scopes in an authorize URL and splits `scope` in token responses (a comma for
    /// Slack and Shopify).
    var scopeSeparator = " "
    /// Whether the authorize request carries `response_type=code` (Shopify's does not).
    var sendsResponseType = true
    /// Whether the code exchange repeats `redirect_uri` (Shopify's does not).
    var sendsRedirectURIAtExchange = true
    /// Extra fields of the code exchange (Shopify's `expiring=1`).
    var exchangeFields: [(String, String)] = []
    /// The token-response field that gives the refresh token's lifetime in seconds, where the
    /// provider sends one (`x_refresh_token_expires_in`, `refresh_token_expires_in`).
    var refreshTokenLifetimeField: String?
    /// The credential attribute that holds the account id (`realm_id`, `tenant_id`, `team_id`).
    var accountAttribute: String
    /// Reads error answers the standard `error` / `error_description` body and status rules do not
    /// cover (Salesforce's `Bad_OAuth_Token`); nil falls back to `OAuthErrorMapper`'s rules.
    var readError: @Sendable (_ response: ProviderResponse, _ body: JSONValue?) -> ConnectorError? = { _, _ in nil }
    /// A failure reported inside a 2xx answer (Slack's `"ok": false`), or nil.
    var failureInSuccess: @Sendable (_ object: [String: JSONValue]) -> ConnectorError? = { _ in nil }
}
