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
    /// oauth-service, in every other process: calls and checks that need a client secret go there.
    public let relay: (any ProviderRelay)?

    public init(
        registry: ConnectorRegistry = .standard,
        providers: ProviderConfiguration,
        transport: ProviderTransport,
        relay: (any ProviderRelay)? = nil
    ) {
        self.registry = registry
        self.providers = providers
        self.relay = relay
        self.endpoints = ProviderEndpoints(sandboxBaseURL: providers.sandboxURL, apiBaseOverrides: providers.apiBaseURLs)
        self.transport = transport
    }

    /// - Parameter retry: how the transport repeats failed calls itself. The sync engine passes
    ///   `.none` and retries in its own loop, so every attempt passes its shared rate limiter.
    /// - Parameter services: how this process reaches oauth-service; outside oauth-service, calls
    ///   and checks that need a provider's client secret are relayed there.
    public init(
        configuration: HubConfiguration,
        httpClient: HTTPClient,
        logger: Logger,
        retry: RetryPolicy = RetryPolicy(),
        services: ServiceClient? = nil
    ) {
        self.init(
            providers: configuration.providers,
            transport: ProviderTransport(httpClient: httpClient, retry: retry, logger: logger),
            relay: configuration.service == .oauth ? nil : services.map { OAuthServiceRelay(services: $0) as any ProviderRelay }
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
    /// its secret is empty (see `ProviderConfiguration.readsClientSecret`).
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
        let client = client(for: provider)
        let baseURL = endpoints.apiBase(type.apiBaseURL, provider: provider)
        var transport = transport
        // Plaid authenticates every call with the hub's client id and secret in the body: added
        // here where the secret is (oauth-service), by oauth-service for everyone else.
        if type is any BodyCredentialedAPI.Type, let client {
            if !client.clientSecret.isEmpty {
                transport.bodyCredentials = .added(["client_id": client.clientID, "secret": client.clientSecret])
            } else if let relay {
                transport.bodyCredentials = .relayed(relay, apiBase: baseURL)
            }
        }
        return ConnectorContext(
            credentials: credentials,
            baseURL: baseURL,
            transport: transport,
            client: client,
            endpoints: endpoints,
            webhookSecret: providers.webhookSecrets[provider],
            relay: relay
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
