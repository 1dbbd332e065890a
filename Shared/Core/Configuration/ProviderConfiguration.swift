import Foundation

/// Where the providers are and how the hub identifies itself to them, from the environment:
///
/// - `HUB_PROVIDER_SANDBOX_URL`: send every provider call to this provider sandbox instead of
///   the providers' production addresses (development and tests).
/// - `HUB_PROVIDER_<ID>_API_BASE_URL`: one provider's API base (its own test environment).
/// - `HUB_PROVIDER_<ID>_CLIENT_ID` / `HUB_PROVIDER_<ID>_CLIENT_SECRET`: the hub's OAuth client (or
///   Plaid client) at that provider. A provider without them cannot be connected by OAuth. Only
///   oauth-service reads the secrets: it alone exchanges, refreshes and revokes tokens, adds
///   Plaid's client credentials to the calls the other services send through it, and checks
///   Shopify's webhook signatures for webhook-service. The others read only the ids.
/// - `HUB_PROVIDER_<ID>_WEBHOOK_SECRET`: the key an app-level webhook signature is checked with
///   where it is neither the client secret nor per connection (QuickBooks' verifier token, Xero's
///   webhook key).
/// - `HUB_OAUTH_REDIRECT_BASE_URL`: the public address of oauth-service the providers redirect
///   browsers to; callback URLs are `<base>/api/v1/integrations/oauth/<id>/callback`.
///
/// `<ID>` is the provider id in upper case (`QUICKBOOKS`, `HUBSPOT`).
public struct ProviderConfiguration: Sendable {
    public struct Client: Sendable, Equatable {
        public var clientID: String
        /// nil in a service that does not read the provider's secret.
        public var clientSecret: String?

        public init(clientID: String, clientSecret: String?) {
            self.clientID = clientID
            self.clientSecret = clientSecret
        }
    }

    public var sandboxURL: String?
    /// Provider id (lower case) → API base URL.
    public var apiBaseURLs: [String: String]
    /// Provider id (lower case) → the hub's client registration.
    public var clients: [String: Client]
    /// Provider id (lower case) → the app's webhook signing key, where it has its own.
    public var webhookSecrets: [String: String] = [:]
    public var oauthRedirectBaseURL: String

    public init(
        sandboxURL: String? = nil,
        apiBaseURLs: [String: String] = [:],
        clients: [String: Client] = [:],
        oauthRedirectBaseURL: String = "http://127.0.0.1:\(HubServiceKind.oauth.defaultPort)"
    ) {
        self.sandboxURL = sandboxURL
        self.apiBaseURLs = apiBaseURLs
        self.clients = clients
        self.oauthRedirectBaseURL = oauthRedirectBaseURL
    }

    /// The callback URL registered at a provider for the hub.
    public func redirectURI(provider: String) -> String {
        oauthRedirectBaseURL + "/api/v1/integrations/oauth/\(provider)/callback"
    }

    /// Whether `service` reads `provider`'s client secret: only oauth-service does, for every
    /// provider (the others reach it through oauth-service's `/internal/providers/…` routes).
    public static func readsClientSecret(provider: String, service: HubServiceKind) -> Bool {
        service == .oauth
    }

    static func load(from env: inout EnvironmentReader, service: HubServiceKind) -> ProviderConfiguration {
        var configuration = ProviderConfiguration()
        configuration.sandboxURL = env.optional("HUB_PROVIDER_SANDBOX_URL").map(Self.trimmingSlash)
        if let sandbox = configuration.sandboxURL, URL(string: sandbox)?.host == nil {
            env.problem("HUB_PROVIDER_SANDBOX_URL must be an http(s) URL, e.g. http://127.0.0.1:8090")
        }
        var ids: Set<String> = []
        for name in env.names(withPrefix: "HUB_PROVIDER_") where name != "HUB_PROVIDER_SANDBOX_URL" {
            for suffix in ["_API_BASE_URL", "_CLIENT_ID", "_CLIENT_SECRET", "_WEBHOOK_SECRET"] where name.hasSuffix(suffix) {
                let id = name.dropFirst("HUB_PROVIDER_".count).dropLast(suffix.count)
                if !id.isEmpty { ids.insert(id.lowercased()) }
            }
        }
        for id in ids.sorted() {
            let prefix = "HUB_PROVIDER_" + id.uppercased()
            if let base = env.optional(prefix + "_API_BASE_URL") {
                configuration.apiBaseURLs[id] = Self.trimmingSlash(base)
            }
            if let secret = env.optional(prefix + "_WEBHOOK_SECRET", secret: true) {
                configuration.webhookSecrets[id] = secret
            }
            let clientID = env.optional(prefix + "_CLIENT_ID")
            // Not even read: a secret a service has no use for is not in its memory.
            guard Self.readsClientSecret(provider: id, service: service) else {
                if let clientID { configuration.clients[id] = Client(clientID: clientID, clientSecret: nil) }
                continue
            }
            let secret = env.optional(prefix + "_CLIENT_SECRET", secret: true)
            switch (clientID, secret) {
            case let (clientID?, secret?):
                configuration.clients[id] = Client(clientID: clientID, clientSecret: secret)
            case (nil, nil):
                break
            default:
                env.problem("\(prefix)_CLIENT_ID and \(prefix)_CLIENT_SECRET must be set together")
            }
        }
        let oauthDefault = env.optional("HUB_SERVICE_URL_OAUTH") ?? "http://127.0.0.1:\(HubServiceKind.oauth.defaultPort)"
        configuration.oauthRedirectBaseURL = Self.trimmingSlash(env.optional("HUB_OAUTH_REDIRECT_BASE_URL") ?? oauthDefault)
        return configuration
    }

    var redactedDescription: [(name: String, value: String)] {
        var rows: [(String, String)] = [
            ("HUB_PROVIDER_SANDBOX_URL", sandboxURL ?? "(unset: production addresses)"),
            ("HUB_OAUTH_REDIRECT_BASE_URL", oauthRedirectBaseURL),
        ]
        for (id, base) in apiBaseURLs.sorted(by: { $0.key < $1.key }) {
            rows.append(("HUB_PROVIDER_\(id.uppercased())_API_BASE_URL", base))
        }
        for (id, client) in clients.sorted(by: { $0.key < $1.key }) {
            rows.append(("HUB_PROVIDER_\(id.uppercased())_CLIENT_ID", client.clientID))
            if client.clientSecret != nil { rows.append(("HUB_PROVIDER_\(id.uppercased())_CLIENT_SECRET", "***")) }
        }
        for id in webhookSecrets.keys.sorted() {
            rows.append(("HUB_PROVIDER_\(id.uppercased())_WEBHOOK_SECRET", "***"))
        }
        return rows
    }

    private static func trimmingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
