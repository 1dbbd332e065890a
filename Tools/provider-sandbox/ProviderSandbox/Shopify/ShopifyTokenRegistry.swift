import Foundation
import Synchronization

/// The Shopify access tokens the emulated Admin API accepts, each bound to one shop and,
/// optionally, a set of scopes. The emulated OAuth server registers the tokens it issues here and
/// revokes them on uninstall; tests register fixed ones through the admin API. An expiring offline
/// token (`expiring=1`) carries its expiry and stops working at that moment, as Shopify's do: the
/// OAuth server does not announce natural expiry, so the registry checks the time itself.
public final class ShopifyTokenRegistry: Sendable {
    /// What a token grants.
    public struct Grant: Sendable, Equatable {
        public var shop: String
        /// Granted scopes (`read_products`, `write_orders`), or nil for every scope.
        public var scopes: Set<String>?
        /// When the token stops working; nil for a token that never expires.
        public var expiresAt: Date?

        public init(shop: String, scopes: Set<String>? = nil, expiresAt: Date? = nil) {
            self.shop = shop
            self.scopes = scopes
            self.expiresAt = expiresAt
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

    public func register(_ token: String, shop: String, scopes: Set<String>? = nil, expiresAt: Date? = nil) {
        grants.withLock { $0[token] = Grant(shop: shop, scopes: scopes, expiresAt: expiresAt) }
    }

    /// What `token` grants at `now`; nil when it is unknown, revoked or expired. An expired token
    /// is forgotten on the way, so the table does not keep every token ever issued.
    public func lookup(_ token: String, at now: Date = Date()) -> Grant? {
        grants.withLock { grants in
            guard let grant = grants[token] else { return nil }
            if let expiresAt = grant.expiresAt, now >= expiresAt {
                grants.removeValue(forKey: token)
                return nil
            }
            return grant
        }
    }

    public func revoke(_ token: String) {
        grants.withLock { _ = $0.removeValue(forKey: token) }
    }
}
