import Foundation

/// What a connector instance works with: the organization's credential for this provider, where
/// the provider is (its production address, or the sandbox's: connectors cannot tell), the hub's
/// own client registration at the provider, and the shared transport.
public struct ConnectorContext: Sendable {
    /// Credential values by field name (`api_key`, `access_token`, `shop_domain`, `realm_id`).
    /// Held only for the call; never logged.
    public var credentials: [String: String]
    /// The provider's API base URL for this environment, without a trailing slash.
    public var baseURL: String
    public var transport: ProviderTransport
    /// The hub's OAuth client (or Plaid client) at this provider, from operator configuration;
    /// nil for providers the organization's own credential reaches alone.
    public var client: OAuthClientRegistration?
    /// Maps the provider's other production URLs (token, revocation endpoints) for this environment.
    public var endpoints: ProviderEndpoints
    /// The app's webhook signing key where the provider has one apart from the client secret
    /// (QuickBooks' verifier token), from operator configuration; nil when none is configured.
    public var webhookSecret: String?
    /// The process that holds the hub's client secrets, where this one does not (every service
    /// but oauth-service): webhook signatures made with a client secret are checked there.
    public var relay: (any ProviderRelay)?

    public init(
        credentials: [String: String],
        baseURL: String,
        transport: ProviderTransport,
        client: OAuthClientRegistration? = nil,
        endpoints: ProviderEndpoints = .production,
        webhookSecret: String? = nil,
        relay: (any ProviderRelay)? = nil
    ) {
        self.relay = relay
        self.credentials = credentials
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.client = client
        self.endpoints = endpoints
        self.webhookSecret = webhookSecret
    }

    /// A credential value, or `authenticationFailed` naming the missing field.
    public func credential(_ name: String) throws(ConnectorError) -> String {
        guard let value = credentials[name], !value.isEmpty else {
            throw .authenticationFailed("the connection has no '\(name)' credential")
        }
        return value
    }

    /// The hub's client registration, or `authenticationFailed` when the operator configured none.
    public func requireClient(provider: String) throws(ConnectorError) -> OAuthClientRegistration {
        guard let client else {
            throw .authenticationFailed("no client id and secret are configured for \(provider)")
        }
        return client
    }
}
