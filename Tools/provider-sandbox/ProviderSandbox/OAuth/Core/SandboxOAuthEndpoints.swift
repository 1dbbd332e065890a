/// Where each provider's OAuth endpoint lives in production and in the sandbox.
///
/// The sandbox keeps every provider's **path** and replaces the **origin** with
/// `http://<sandbox host:port>/<provider id>` (Shopify: `…/shopify/{shop}`), so the hub's
/// per-environment base-URL configuration is a mapping of origins (`originPrefixes`), and any URL
/// of a definition maps with `sandboxURL(for:base:)`.
///
/// | provider | production URL | sandbox path |
/// |---|---|---|
/// | quickbooks | `https://appcenter.intuit.com/connect/oauth2` | `/quickbooks/connect/oauth2` |
/// | quickbooks | `https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer` | `/quickbooks/oauth2/v1/tokens/bearer` |
/// | quickbooks | `https://developer.api.intuit.com/v2/oauth2/tokens/revoke` | `/quickbooks/v2/oauth2/tokens/revoke` |
/// | quickbooks | `https://quickbooks.api.intuit.com/v3/company/{realmId}/companyinfo/{realmId}` | `/quickbooks/v3/company/{realmId}/companyinfo/{realmId}` |
/// | xero | `https://login.xero.com/identity/connect/authorize` | `/xero/identity/connect/authorize` |
/// | xero | `https://identity.xero.com/connect/token` | `/xero/connect/token` |
/// | xero | `https://identity.xero.com/connect/revocation` | `/xero/connect/revocation` |
/// | xero | `https://api.xero.com/connections` | `/xero/connections` |
/// | salesforce | `https://login.salesforce.com/services/oauth2/authorize` | `/salesforce/services/oauth2/authorize` |
/// | salesforce | `https://login.salesforce.com/services/oauth2/token` | `/salesforce/services/oauth2/token` |
/// | salesforce | `https://login.salesforce.com/services/oauth2/revoke` | `/salesforce/services/oauth2/revoke` |
/// | salesforce | `https://login.salesforce.com/services/oauth2/userinfo` | `/salesforce/services/oauth2/userinfo` |
/// | salesforce | `https://login.salesforce.com/id/{orgId}/{userId}` | `/salesforce/id/{orgId}/{userId}` |
/// | hubspot | `https://app.hubspot.com/oauth/authorize` | `/hubspot/oauth/authorize` |
/// | hubspot | `https://api.hubapi.com/oauth/v3/token` | `/hubspot/oauth/v3/token` |
/// | hubspot | `https://api.hubapi.com/oauth/v3/token/introspect` | `/hubspot/oauth/v3/token/introspect` |
/// | hubspot | `https://api.hubapi.com/oauth/v3/token/revoke` | `/hubspot/oauth/v3/token/revoke` |
/// | hubspot | `https://api.hubapi.com/oauth/v1/token` (retired 2027-02-16) | `/hubspot/oauth/v1/token` |
/// | hubspot | `https://api.hubapi.com/oauth/v1/access-tokens/{token}` | `/hubspot/oauth/v1/access-tokens/{token}` |
/// | hubspot | `https://api.hubapi.com/oauth/v1/refresh-tokens/{token}` (GET, DELETE) | `/hubspot/oauth/v1/refresh-tokens/{token}` |
/// | slack | `https://slack.com/oauth/v2/authorize` | `/slack/oauth/v2/authorize` |
/// | slack | `https://slack.com/api/oauth.v2.access` | `/slack/api/oauth.v2.access` |
/// | slack | `https://slack.com/api/auth.revoke` | `/slack/api/auth.revoke` |
/// | slack | `https://slack.com/api/auth.test` | `/slack/api/auth.test` |
/// | shopify | `https://{shop}/admin/oauth/authorize` | `/shopify/{shop}/admin/oauth/authorize` |
/// | shopify | `https://{shop}/admin/oauth/access_token` | `/shopify/{shop}/admin/oauth/access_token` |
/// | shopify | `https://{shop}/admin/oauth/access_scopes.json` | `/shopify/{shop}/admin/oauth/access_scopes.json` |
/// | shopify | `https://{shop}/admin/api_permissions/current.json` (DELETE) | `/shopify/{shop}/admin/api_permissions/current.json` |
/// | paypal | `https://api-m.paypal.com/v1/oauth2/token` | `/paypal/v1/oauth2/token` |
/// | paypal | `https://api-m.paypal.com/v1/oauth2/token/terminate` | `/paypal/v1/oauth2/token/terminate` |
public enum SandboxOAuthEndpoints {
    /// One endpoint of the table above.
    public struct Endpoint: Sendable, Hashable {
        public var provider: String
        public var productionURL: String
        public var sandboxPath: String
    }

    /// Production origins and the sandbox path prefix that replaces each (`{shop}` is kept).
    public static let originPrefixes: [(origin: String, prefix: String)] = [
        ("https://appcenter.intuit.com", "/quickbooks"), ("https://oauth.platform.intuit.com", "/quickbooks"),
        ("https://developer.api.intuit.com", "/quickbooks"), ("https://quickbooks.api.intuit.com", "/quickbooks"),
        ("https://sandbox-quickbooks.api.intuit.com", "/quickbooks"),
        ("https://login.xero.com", "/xero"), ("https://identity.xero.com", "/xero"), ("https://api.xero.com", "/xero"),
        ("https://login.salesforce.com", "/salesforce"), ("https://test.salesforce.com", "/salesforce"),
        ("https://app.hubspot.com", "/hubspot"), ("https://api.hubapi.com", "/hubspot"),
        ("https://slack.com", "/slack"),
        ("https://api-m.paypal.com", "/paypal"), ("https://api-m.sandbox.paypal.com", "/paypal"),
        ("https://{shop}", "/shopify/{shop}"),
    ]

    /// Every endpoint of the table.
    public static let all: [Endpoint] = [
        "https://appcenter.intuit.com/connect/oauth2", "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
        "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
        "https://quickbooks.api.intuit.com/v3/company/{realmId}/companyinfo/{realmId}",
        "https://login.xero.com/identity/connect/authorize", "https://identity.xero.com/connect/token",
        "https://identity.xero.com/connect/revocation", "https://api.xero.com/connections",
        "https://login.salesforce.com/services/oauth2/authorize", "https://login.salesforce.com/services/oauth2/token",
        "https://login.salesforce.com/services/oauth2/revoke", "https://login.salesforce.com/services/oauth2/userinfo",
        "https://login.salesforce.com/id/{orgId}/{userId}",
        "https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/v3/token",
        "https://api.hubapi.com/oauth/v3/token/introspect", "https://api.hubapi.com/oauth/v3/token/revoke",
        "https://api.hubapi.com/oauth/v1/token",
        "https://api.hubapi.com/oauth/v1/access-tokens/{token}", "https://api.hubapi.com/oauth/v1/refresh-tokens/{token}",
        "https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access", "https://slack.com/api/auth.revoke",
        "https://slack.com/api/auth.test",
        "https://{shop}/admin/oauth/authorize", "https://{shop}/admin/oauth/access_token",
        "https://{shop}/admin/oauth/access_scopes.json", "https://{shop}/admin/api_permissions/current.json",
        "https://api-m.paypal.com/v1/oauth2/token", "https://api-m.paypal.com/v1/oauth2/token/terminate",
    ].compactMap { url in
        guard let (provider, path) = sandboxPath(for: url) else { return nil }
        return Endpoint(provider: provider, productionURL: url, sandboxPath: path)
    }

    /// The sandbox URL for a production URL (a definition's `authorizeURL`, a request URL with a
    /// query): `base` is the sandbox's root, e.g. `http://127.0.0.1:8090`. Nil for unknown origins.
    public static func sandboxURL(for productionURL: String, base: String) -> String? {
        sandboxPath(for: productionURL).map { base.trimmingSuffix("/") + $0.path }
    }

    /// The provider id and sandbox path (query kept) of a production URL.
    static func sandboxPath(for productionURL: String) -> (provider: String, path: String)? {
        for (origin, prefix) in originPrefixes where origin != "https://{shop}" {
            if productionURL == origin || productionURL.hasPrefix(origin + "/") || productionURL.hasPrefix(origin + "?") {
                return (providerID(prefix), prefix + productionURL.dropFirst(origin.count))
            }
        }
        guard productionURL.hasPrefix("https://") else { return nil }
        let rest = productionURL.dropFirst("https://".count)
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        guard host == "{shop}" || host.hasSuffix(".myshopify.com") else { return nil }
        return ("shopify", "/shopify/" + rest)
    }

    private static func providerID(_ prefix: String) -> String {
        String(prefix.dropFirst().prefix { $0 != "/" })
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
