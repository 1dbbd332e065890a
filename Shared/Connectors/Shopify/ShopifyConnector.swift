/// Shopify: products, orders, customers, inventory, locations and fulfillments of one store.
///
/// OAuth runs against the store itself: `{shop}` in the URLs is the store's full myshopify domain
/// (`example.myshopify.com`), the `shop_domain` credential field, checked against its pattern
/// before any redirect. The callback's `hmac` must be verified. The hub requests *expiring* offline
/// tokens (`expiring=1` on the code exchange): they last an hour and every refresh returns a new
/// refresh token. Shopify requires them of public apps (new apps since 1 April 2026, all apps from
/// 1 January 2027). Shopify's grant has no PKCE. Revocation is
/// `DELETE https://{shop}/admin/api_permissions/current.json` with the access token, which
/// uninstalls the app. Field names are the Admin REST API's; prices and totals are decimal strings.
/// Reads are incremental with `updated_at_min` (orders need `status=any`); pages follow the `Link`
/// header. Webhook events are `X-Shopify-Topic` values, including the three mandatory compliance
/// topics.
///
/// Credentials: `shop_domain` and `access_token`. The base URL may hold `{shop}`
/// (`https://{shop}` in production, `http://127.0.0.1:<port>/shopify/{shop}` in the sandbox); the
/// validated shop domain replaces it and `/admin/api/<apiVersion>/…` follows.
public struct ShopifyConnector: Connector {
    /// The Admin REST version every call names. Shopify supports a version for a year: moving
    /// to a newer one is a deliberate change, tested against the sandbox.
    public static let apiVersion = "2024-01"

    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Shopify.
    public static let definition = ProviderDefinition(
        id: "shopify",
        displayName: "Shopify",
        category: .ecommerce,
        description: "Sync products, orders, customers, inventory levels, locations and fulfillments "
            + "with your Shopify store, push products, customers, orders and inventory back, and react "
            + "to Shopify's webhooks as orders and products change.",
        docsURL: "https://shopify.dev/docs/api/admin-rest",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            credentialFields: [
                CredentialField(
                    name: "shop_domain",
                    label: "Store domain",
                    secret: false,
                    description: "Your store's myshopify.com domain, e.g. example.myshopify.com.",
                    pattern: #"^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$"#
                )
            ],
            oauth: OAuthDefinition(
                authorizeURL: "https://{shop}/admin/oauth/authorize",
                tokenURL: "https://{shop}/admin/oauth/access_token",
                revokeURL: "https://{shop}/admin/api_permissions/current.json",
                scopes: [
                    "read_products", "write_products",
                    "read_orders", "write_orders",
                    "read_customers", "write_customers",
                    "read_inventory", "write_inventory",
                    "read_locations",
                    "read_fulfillments", "write_fulfillments",
                    "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders",
                ],
                supportsPKCE: false,
                rotatesRefreshToken: true,
                accessTokenLifetime: 3600
            )
        ),
        capabilities: [.oauth, .webhooks, .sync, .push, .realtime],
        entities: ShopifyEntities.all,
        webhookEvents: [
            "app/uninstalled",
            "orders/create", "orders/updated", "orders/paid", "orders/fulfilled", "orders/cancelled", "orders/delete",
            "products/create", "products/update", "products/delete",
            "customers/create", "customers/update", "customers/delete",
            "inventory_levels/connect", "inventory_levels/update", "inventory_levels/disconnect",
            "locations/create", "locations/update", "locations/delete",
            "fulfillments/create", "fulfillments/update",
            "customers/data_request", "customers/redact", "shop/redact",
        ]
    )
}
