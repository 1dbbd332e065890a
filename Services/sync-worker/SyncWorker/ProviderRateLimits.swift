import HubCore

/// The request rates the hub keeps to per provider account unless the operator sets
/// `HUB_PROVIDER_<ID>_RATE_LIMIT`: each provider's documented limit, or a conservative share of it.
enum ProviderRateLimits {
    static func `default`(for provider: String) -> SyncConfiguration.RateLimit {
        switch provider {
        // Live mode allows 100 read operations a second (test mode 25).
        case "stripe": .init(requestsPerSecond: 100, burst: 100)
        // REST Admin API, standard plans: a leaky bucket of 40 requests draining 2 a second.
        case "shopify": .init(requestsPerSecond: 2, burst: 40)
        // Plaid limits per item and endpoint per minute; /transactions/sync allows a few a second.
        case "plaid": .init(requestsPerSecond: 5, burst: 10)
        // 500 requests a minute and 10 in any second per realm: 8 a second with no burst keeps
        // any one second at 9 at most, with room for requests that arrive closer than they left.
        case "quickbooks": .init(requestsPerSecond: 8, burst: 1)
        // 60 calls a minute per tenant.
        case "xero": .init(requestsPerSecond: 1, burst: 5)
        // No per-second limit, a daily allowance (read from Sforce-Limit-Info) and at most 25
        // long-running calls at once: a steady 20 a second stays well clear of both.
        case "salesforce": .init(requestsPerSecond: 20, burst: 25)
        // 100 requests every 10 seconds (private and public apps).
        case "hubspot": .init(requestsPerSecond: 10, burst: 10)
        // PayPal publishes no numbers, only 429 RATE_LIMIT_REACHED past them: a moderate rate.
        case "paypal": .init(requestsPerSecond: 10, burst: 20)
        default: .init(requestsPerSecond: 5, burst: 10)
        }
    }

    /// A provider's limit on the hub's app across all its accounts, kept in a second bucket every
    /// connection to the provider shares; nil where the provider has none.
    static func appWide(for provider: String) -> SyncConfiguration.RateLimit? {
        switch provider {
        // 10,000 calls a minute per app, over every tenant.
        case "xero": .init(requestsPerSecond: 10_000.0 / 60, burst: 100)
        default: nil
        }
    }
}
