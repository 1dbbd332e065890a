import Hummingbird
import NIOCore

/// The emulated Shopify Admin REST API, one store per configured shop domain, mounted at
/// `/shopify/<shop>/admin/api/<version>/…`: products with variants, customers, orders with line
/// items, locations, inventory levels, fulfillment orders and fulfillments, and webhook
/// subscriptions. Pages follow the `Link` header with `page_info`; the leaky bucket answers 429
/// with `Retry-After`; every write sends the signed webhook Shopify would.
public struct ShopifyProvider: SandboxProvider {
    /// The API version the emulation is written against; requests for other versions are served
    /// the same way (Shopify serves any supported version).
    public static let apiVersion = "2024-01"

    public let id = "shopify"
    public let tokens: ShopifyTokenRegistry
    public let limiter = ShopifyCallLimiter()
    let store: ShopifyStore
    let sender: ShopifyWebhookSender
    /// Shopify's OAuth endpoints (`/{shop}/admin/oauth/...`), issuing tokens into `tokens`.
    public let oauth: ShopifyOAuthRoutes

    /// - Parameter tokens: shared with the emulated OAuth server, which registers what it issues.
    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher, tokens: ShopifyTokenRegistry = ShopifyTokenRegistry()) {
        self.tokens = tokens
        for shop in configuration.secrets.shopifyShops where shop == "hub-sandbox.myshopify.com" {
            tokens.register(ShopifyTokenRegistry.seededToken, shop: shop)
        }
        store = ShopifyStore(domains: configuration.secrets.shopifyShops, seed: configuration.seed, volume: configuration.volume)
        sender = ShopifyWebhookSender(secret: configuration.secrets.shopifyClientSecret, dispatcher: webhooks)
        oauth = OAuthServers.shopify(configuration, tokens: tokens)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        ShopifyRoutes(provider: self).add(to: group.group("{shop}/admin/api/{version}"))
        oauth.addRoutes(to: group)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        ShopifyAdminRoutes(provider: self).add(to: group)
        oauth.addAdminRoutes(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds): ShopifyAPIError.rateLimited(retryAfter: seconds).response()
        case .serverError: ShopifyAPIError(status: .internalServerError, errors: .string("Internal Server Error")).response()
        case .unauthorized: ShopifyAPIError.unauthorized.response()
        }
    }

    /// Sends the webhooks a write triggered, after the store's lock is released.
    func deliver(_ events: [ShopifyEvent], shop: String) async {
        for event in events {
            let subscribers = (try? store.withShop(shop) { $0.subscribers(of: event.topic) }) ?? []
            await sender.send(event, shop: shop, subscribers: subscribers)
        }
    }
}
