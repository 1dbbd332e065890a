import HubCore
import Hummingbird

/// The emulated QuickBooks Online Accounting API beside Intuit's emulated OAuth server, mounted
/// at `/quickbooks`: companies seeded at the sandbox's volume (each entity on its own), the query
/// language, change data capture, `SyncToken` concurrency, Intuit's faults and throttle, and
/// signed data-change webhooks on every write.
public struct QuickBooksSandbox: SandboxProvider {
    /// The verifier token the sandbox app signs its webhooks with (the developer portal shows one
    /// per app); the hub's `HUB_PROVIDER_QUICKBOOKS_WEBHOOK_SECRET` (`provider-sandbox hub-env` prints it).
    public static let verifierToken = "quickbooks-sandbox-verifier-token"

    public let id = "quickbooks"
    public let throttle = QuickBooksThrottle()
    /// Updates still to be preceded by an edit made in QuickBooks itself (admin `concurrent_edits`).
    let concurrentEdits = QuickBooksConcurrentEdits()
    let oauth: QuickBooksOAuthRoutes
    let store: QuickBooksStore
    let sender: QuickBooksWebhookSender

    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher, oauth: QuickBooksOAuthRoutes) {
        let store = QuickBooksStore(seed: configuration.seed, volume: configuration.volume)
        var oauth = oauth
        oauth.additionalTokens = { store.realm(ofToken: $0) }
        self.oauth = oauth
        self.store = store
        sender = QuickBooksWebhookSender(verifierToken: Self.verifierToken, dispatcher: webhooks)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        QuickBooksRoutes(provider: self).add(to: group.group("v3/company/{realm}"))
        // Intuit's OpenID discovery document, which intuit-oauth reads its endpoints from: the
        // sandbox's own (absolute) URLs, on whatever address it was reached.
        for path in [".well-known/openid_sandbox_configuration", ".well-known/openid_configuration"] {
            group.get(RouterPath(path)) { request, _ -> Response in
                let base = "http://\(request.head.authority ?? "127.0.0.1")/quickbooks"
                let document: JSONValue = [
                    "issuer": "https://oauth.platform.intuit.com/op/v1",
                    "authorization_endpoint": .string("\(base)/connect/oauth2"),
                    "token_endpoint": .string("\(base)/oauth2/v1/tokens/bearer"),
                    "revocation_endpoint": .string("\(base)/v2/oauth2/tokens/revoke"),
                    "userinfo_endpoint": .string("\(base)/v1/openid_connect/userinfo"),
                    "jwks_uri": .string("\(base)/op/v1/jwks"),
                    "response_types_supported": ["code"],
                    "scopes_supported": ["openid", "email", "profile", "address", "phone", "com.intuit.quickbooks.accounting"],
                ]
                return JSONBody.response(document.encoded())
            }
        }
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        QuickBooksAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }

    /// The realm a token reaches: one the admin API issued, or one the OAuth server did.
    func realm(ofToken token: String) -> String? {
        store.realm(ofToken: token) ?? oauth.server.validate(token)?.account.id
    }

    func query(_ text: String, realm: String) throws(QuickBooksFault) -> JSONValue {
        let query = try QuickBooksQuery(parsing: text)
        let response = try store.withCompany(realm) { company throws(QuickBooksFault) in company.answer(query) }
        return ["QueryResponse": .object(response), "time": .string(QuickBooksTime.string(QuickBooksTime.now))]
    }
}
