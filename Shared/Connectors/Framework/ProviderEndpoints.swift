/// Where the providers are: their production addresses, or one provider sandbox standing in for
/// all of them. Connectors name production URLs (from their definitions); this maps each to the
/// address this environment uses, so a connector cannot tell the sandbox from the real API.
///
/// The sandbox convention (see `provider-sandbox`): the production origin is replaced by
/// `<sandbox>/<provider id>`; for providers whose host is per account (Shopify's `{shop}` or
/// `*.myshopify.com`) the host is kept as a path segment: `<sandbox>/shopify/<shop>/admin/…`.
public struct ProviderEndpoints: Sendable, Equatable {
    /// The sandbox root (`http://127.0.0.1:8090`), or nil for the providers' production addresses.
    public var sandboxBaseURL: String?
    /// Per-provider API base URL overrides (provider id → base URL), for a provider's own test
    /// environment (Plaid's `https://sandbox.plaid.com`, PayPal's `https://api-m.sandbox.paypal.com`).
    public var apiBaseOverrides: [String: String]

    public init(sandboxBaseURL: String? = nil, apiBaseOverrides: [String: String] = [:]) {
        self.sandboxBaseURL = sandboxBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.apiBaseOverrides = apiBaseOverrides
    }

    /// The production addresses.
    public static let production = ProviderEndpoints()

    /// The address this environment uses for a provider's production URL (query kept).
    public func resolve(_ productionURL: String, provider: String) -> String {
        guard let sandbox = sandboxBaseURL else { return productionURL }
        guard let schemeEnd = productionURL.range(of: "://") else { return productionURL }
        let rest = productionURL[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        let pathAndQuery = rest.dropFirst(host.count)
        let keepsHost = host.contains("{shop}") || host.hasSuffix(".myshopify.com")
        return sandbox + "/" + provider + (keepsHost ? "/" + host : "") + pathAndQuery
    }

    /// The API base URL for a provider whose production base is `productionBase`: an override,
    /// else `resolve`.
    public func apiBase(_ productionBase: String, provider: String) -> String {
        if let override = apiBaseOverrides[provider] { return override }
        return resolve(productionBase, provider: provider)
    }
}
