/// The seven emulated authorization servers of one sandbox, sharing one `SandboxTokenStore`.
///
/// QuickBooks, Xero, Salesforce, HubSpot, Slack and PayPal have no data API in the sandbox yet, so
/// `standaloneProviders` mounts them on their own. Shopify's data API is another provider with the
/// id `shopify`, so Shopify's OAuth is a hook instead: that provider keeps `shopify` (or builds one
/// with `OAuthServers.shopify(_:tokens:)`) and calls its `addRoutes` / `addAdminRoutes` from its own.
public struct OAuthServers: Sendable {
    public let tokens: SandboxTokenStore
    public let quickbooks: QuickBooksOAuthRoutes
    public let xero: XeroOAuthRoutes
    public let salesforce: SalesforceOAuthRoutes
    public let hubspot: HubSpotOAuthRoutes
    public let slack: SlackOAuthRoutes
    public let paypal: PayPalOAuthRoutes
    public let shopify: ShopifyOAuthRoutes

    /// - Parameters:
    ///   - tokens: where every server records what it issues; data APIs validate against it.
    ///   - shopifyTokens: the Shopify data API's registry, kept in step with Shopify's tokens.
    public init(
        configuration: SandboxConfiguration,
        tokens: SandboxTokenStore = SandboxTokenStore(),
        shopifyTokens: ShopifyTokenRegistry? = nil
    ) {
        self.tokens = tokens
        func server(_ profile: OAuthProviderProfile) -> OAuthServer {
            OAuthServer(
                profile: profile,
                clients: configuration.secrets.oauthClients[profile.id].map { [$0] } ?? [],
                seed: configuration.seed,
                tokens: tokens
            )
        }
        quickbooks = QuickBooksOAuthRoutes(server: server(.quickbooks))
        xero = XeroOAuthRoutes(server: server(.xero))
        salesforce = SalesforceOAuthRoutes(server: server(.salesforce))
        hubspot = HubSpotOAuthRoutes(server: server(.hubspot))
        slack = SlackOAuthRoutes(server: server(.slack))
        paypal = PayPalOAuthRoutes(server: server(.paypal))
        shopify = Self.shopify(configuration, tokens: shopifyTokens, store: tokens)
    }

    /// The OAuth-only providers, each a `SandboxProvider` mounted at its id.
    public var standaloneProviders: [any SandboxProvider] {
        let routes: [any SandboxOAuthRoutes] = [quickbooks, xero, salesforce, hubspot, slack, paypal]
        return routes.map { OAuthSandboxProvider($0) }
    }

    /// Shopify's OAuth routes, for the Shopify provider to attach to its own mount.
    /// - Parameters:
    ///   - tokens: the data API's registry; issued tokens are registered there (with their scopes)
    ///     and removed when revoked, expired through the admin API, or reset.
    ///   - store: the token store to record into (a new one when the server stands alone).
    public static func shopify(
        _ configuration: SandboxConfiguration,
        tokens: ShopifyTokenRegistry? = nil,
        store: SandboxTokenStore = SandboxTokenStore()
    ) -> ShopifyOAuthRoutes {
        let observer = tokens.map { registry in
            OAuthTokenObserver(
                issued: { registry.register($0.value, shop: $0.account.id, scopes: Set($0.scopes), expiresAt: $0.expiresAt) },
                ended: { registry.revoke($0.value) }
            )
        }
        let client = SandboxOAuthClient(id: configuration.secrets.shopifyClientID, secret: configuration.secrets.shopifyClientSecret)
        let server = OAuthServer(profile: .shopify, clients: [client], seed: configuration.seed, tokens: store, observer: observer)
        return ShopifyOAuthRoutes(server: server, shops: Set(configuration.secrets.shopifyShops.map { $0.lowercased() }))
    }
}
