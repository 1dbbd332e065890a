import AsyncHTTPClient
import HubConnectors
import HubCore
import Logging

/// Builds connector instances for connections: the provider's connector type from the registry,
/// its base URL for this environment, the hub's client registration, the shared transport.
/// Services reach providers only through it, never by naming one.
public struct ConnectorFactory: Sendable {
    public let registry: ConnectorRegistry
    public let endpoints: ProviderEndpoints
    public let providers: ProviderConfiguration
    public let transport: ProviderTransport

    public init(registry: ConnectorRegistry = .standard, providers: ProviderConfiguration, transport: ProviderTransport) {
        self.registry = registry
        self.providers = providers
        self.endpoints = ProviderEndpoints(sandboxBaseURL: providers.sandboxURL, apiBaseOverrides: providers.apiBaseURLs)
        self.transport = transport
    }

    /// - Parameter retry: how the transport repeats failed calls itself. The sync engine passes
    ///   `.none` and retries in its own loop, so every attempt passes its shared rate limiter.
    public init(configuration: HubConfiguration, httpClient: HTTPClient, logger: Logger, retry: RetryPolicy = RetryPolicy()) {
        self.init(
            providers: configuration.providers,
            transport: ProviderTransport(httpClient: httpClient, retry: retry, logger: logger)
        )
    }

    /// The connector type that can test and revoke credentials for a provider, if the hub has one.
    public func testableType(_ provider: String) -> (any TestableConnector.Type)? {
        registry.connector(id: provider) as? any TestableConnector.Type
    }

    /// The OAuth half of a provider, if it connects by the authorization-code grant.
    public func oauthType(_ provider: String) -> (any OAuthConnector.Type)? {
        registry.connector(id: provider) as? any OAuthConnector.Type
    }

    /// The hub's client registration at a provider, from configuration. Outside oauth-service
    /// its secret is empty for most providers (see `ProviderConfiguration.secretReaders`).
    public func client(for provider: String) -> OAuthClientRegistration? {
        providers.clients[provider].map {
            OAuthClientRegistration(
                clientID: $0.clientID,
                clientSecret: $0.clientSecret ?? "",
                redirectURI: providers.redirectURI(provider: provider)
            )
        }
    }

    /// A context for one provider call with these credential values.
    public func context(provider: String, credentials: [String: String]) -> ConnectorContext? {
        guard let type = testableType(provider) else { return nil }
        var values = credentials
        let client = client(for: provider)
        // Plaid Link providers authenticate every call with the hub's own client id and secret.
        if type.definition.auth.kind == .plaidLink, let client, !client.clientSecret.isEmpty {
            values["client_id"] = client.clientID
            values["secret"] = client.clientSecret
        }
        return ConnectorContext(
            credentials: values,
            baseURL: endpoints.apiBase(type.apiBaseURL, provider: provider),
            transport: transport,
            client: client,
            endpoints: endpoints,
            webhookSecret: providers.webhookSecrets[provider]
        )
    }

    /// A connector instance for a provider with these credential values.
    public func connector(provider: String, credentials: [String: String]) -> (any TestableConnector)? {
        guard let type = testableType(provider), let context = context(provider: provider, credentials: credentials) else {
            return nil
        }
        return type.init(context: context)
    }
}
