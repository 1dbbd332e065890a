import Foundation
import HubConnectors
import ProviderSandbox
import Testing

/// Drives the hub's OAuth connectors through a live sandbox the way oauth-service does: the
/// connector's authorize URL, the sandbox's (auto-approving) redirect, `validateCallback`,
/// `exchangeCode` with the PKCE verifier where the provider takes one, then connector instances
/// built from the stored fields.
struct HubOAuthHarness: Sendable {
    let sandbox: OAuthTestSandbox

    /// The sandbox standing in for every provider, as `HUB_PROVIDER_SANDBOX_URL` would configure.
    var endpoints: ProviderEndpoints { ProviderEndpoints(sandboxBaseURL: sandbox.base) }

    /// Few quick retries: these tests are about outcomes, not backoff.
    static let transport = ProviderTransport(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10)))

    /// Runs `body` against a fresh sandbox whose `/shopify` mount is the Shopify data API with its
    /// own OAuth routes, so a Shopify connection can be tested too.
    static func run(_ body: @Sendable (HubOAuthHarness) async throws -> Void) async throws {
        let mountShopify: (SandboxConfiguration, OAuthServers) -> any SandboxProvider = { configuration, _ in
            ShopifyProvider(configuration: configuration, webhooks: WebhookDispatcher())
        }
        try await OAuthTestSandbox.run(mountShopify: mountShopify) { sandbox in
            try await body(HubOAuthHarness(sandbox: sandbox))
        }
    }

    /// The hub's registration at `provider`: the sandbox's configured client and a loopback callback.
    func client(_ provider: String) throws -> OAuthClientRegistration {
        let secrets = sandbox.configuration.secrets
        if provider == "shopify" {
            return OAuthClientRegistration(
                clientID: secrets.shopifyClientID,
                clientSecret: secrets.shopifyClientSecret,
                redirectURI: OAuthTestSandbox.redirectURI
            )
        }
        let client = try #require(secrets.oauthClients[provider], "no sandbox client for \(provider)")
        return OAuthClientRegistration(clientID: client.id, clientSecret: client.secret, redirectURI: OAuthTestSandbox.redirectURI)
    }

    /// What one authorization left behind.
    struct Authorized: Sendable {
        var request: AuthorizationRequest
        var verifier: String?
        var callback: [(name: String, value: String)]

        func value(_ name: String) -> String? { callback.first { $0.name == name }?.value }
    }

    /// The authorize step: the connector's URL, answered by the sandbox with a redirect to the hub's
    /// callback, whose query is returned in order.
    func authorize<C: OAuthConnector>(_ type: C.Type, parameters: [String: String] = [:]) async throws -> Authorized {
        let id = C.definition.id
        let pkce = C.definition.auth.oauth?.supportsPKCE == true ? OAuthTestSandbox.pkcePair() : nil
        let request = AuthorizationRequest(
            state: "state-\(UUID().uuidString)",
            codeChallenge: pkce?.challenge,
            parameters: try C.validateAuthorizationParameters(parameters)
        )
        let url = try C.authorizationURL(request, client: try client(id), endpoints: endpoints)
        #expect(url.hasPrefix("\(sandbox.base)/\(id)/"), "the authorize URL is mapped to the sandbox: \(url)")
        let answer = try await sandbox.get(url)
        #expect(answer.status == 302, "\(id) authorize: \(answer.status) \(answer.text)")
        let location = try #require(answer.header("location"))
        #expect(location.hasPrefix(OAuthTestSandbox.redirectURI + "?"), "back to the hub's callback: \(location)")
        let items = try #require(URLComponents(string: location)?.queryItems)
        let callback = items.map { (name: $0.name, value: $0.value ?? "") }
        #expect(callback.first { $0.name == "state" }?.value == request.state, "the state comes back")
        return Authorized(request: request, verifier: pkce?.verifier, callback: callback)
    }

    /// The whole connect: authorize, check the callback, exchange the code.
    func connect<C: OAuthConnector>(_ type: C.Type, parameters: [String: String] = [:]) async throws -> OAuthTokens {
        let authorized = try await authorize(type, parameters: parameters)
        let client = try client(C.definition.id)
        let values = try C.validateCallback(query: authorized.callback, authorization: authorized.request, client: client)
        let code = try #require(authorized.value("code"))
        var tokens = try await C.exchangeCode(
            code,
            codeVerifier: authorized.verifier,
            callbackValues: values,
            client: client,
            endpoints: endpoints,
            transport: Self.transport
        )
        // oauth-service stores the callback values with the tokens.
        tokens.attributes.merge(values) { current, _ in current }
        return tokens
    }

    /// A connector for a connection whose stored fields are `credentials`.
    func connector<C: TestableConnector>(_ type: C.Type, _ credentials: [String: String]) throws -> C {
        let id = C.definition.id
        let client: OAuthClientRegistration? = C.definition.auth.kind == .oauth2AuthorizationCode ? try client(id) : nil
        return C(
            context: ConnectorContext(
                credentials: credentials,
                baseURL: endpoints.apiBase(C.apiBaseURL, provider: id),
                transport: Self.transport,
                client: client,
                endpoints: endpoints
            )
        )
    }

    /// The connector error `body` throws, or nil (another error fails the test).
    static func failure(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> ConnectorError? {
        do {
            try await body()
            return nil
        } catch let error as ConnectorError {
            return error
        } catch {
            Issue.record("not a ConnectorError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func isAuthenticationFailure(_ error: ConnectorError?) -> Bool {
        if case .authenticationFailed? = error { return true }
        return false
    }
}
