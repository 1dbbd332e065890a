import Synchronization

/// The Shopify access tokens the emulated Admin API accepts, each bound to one shop and,
/// optionally, a set of scopes. The emulated OAuth server registers the tokens it issues here and
/// revokes them on uninstall; tests register fixed ones through the admin API.
public final class ShopifyTokenRegistry: Sendable {
    /// What a token grants.
    public struct Grant: Sendable, Equatable {
        public var shop: String
        /// Granted scopes (`read_products`, `write_orders`), or nil for every scope.
        public var scopes: Set<String>?

        public init(shop: String, scopes: Set<String>? = nil) {
            self.shop = shop
            self.scopes = scopes
        }

        /// Whether the grant covers `scope`; a `write_` scope implies its `read_`.
        public func allows(_ scope: String) -> Bool {
            guard let scopes else { return true }
            if scopes.contains(scope) { return true }
            return scope.hasPrefix("read_") && scopes.contains("write_" + scope.dropFirst("read_".count))
        }
    }

    /// The token every sandbox starts with, for `hub-sandbox.myshopify.com`.
    public static let seededToken = "shpat_sandbox"

    private let grants: Mutex<[String: Grant]>

    public init(_ initial: [String: Grant] = [:]) {
        grants = Mutex(initial)
    }

    public func register(_ token: String, shop: String, scopes: Set<String>? = nil) {
        grants.withLock { $0[token] = Grant(shop: shop, scopes: scopes) }
    }

    public func lookup(_ token: String) -> Grant? {
        grants.withLock { $0[token] }
    }

    public func revoke(_ token: String) {
        grants.withLock { _ = $0.removeValue(forKey: token) }
    }

    /// Revokes every token of `shop` (the app was uninstalled).
    public func revokeAll(shop: String) {
        grants.withLock { grants in grants = grants.filter { $0.value.shop != shop } }
    }
}
