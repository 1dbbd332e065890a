import HubCore
import Hummingbird

/// The emulated HubSpot: the OAuth server (`HubSpotOAuthRoutes`) and the CRM API under
/// `/hubspot/crm/v3/objects/{type}` (contacts, companies, deals, products, line items) with
/// HubSpot's `after` paging, archived listings, search and its 10,000-result ceiling, batch
/// reads and writes with 207 multi-status errors, v4 associations, HubSpot's error body, its
/// rate limits (429 with `policyName`) and v3-signed webhooks. One portal per account, seeded
/// at the configured volume when first called.
public struct HubSpotProvider: SandboxProvider {
    /// The access token that reaches `seededPortalID` without an OAuth dance (tests, benchmarks).
    public static let seededToken = "hubspot-sandbox-access-token"
    public static let seededPortalID = "62515"
    public static let appID = 54321

    public let id = "hubspot"
    public let oauth: HubSpotOAuthRoutes
    let store: HubSpotStore
    let limiter = HubSpotRateLimiter()
    let sender: HubSpotWebhookSender

    public init(configuration: SandboxConfiguration, webhooks: WebhookDispatcher, oauth: HubSpotOAuthRoutes) {
        self.oauth = oauth
        store = HubSpotStore(volume: configuration.volume)
        // HubSpot signs webhooks with the app's client secret.
        let secret = configuration.secrets.oauthClients["hubspot"]?.secret ?? ""
        sender = HubSpotWebhookSender(clientSecret: secret, appID: Self.appID, dispatcher: webhooks)
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        let routes = HubSpotRoutes(provider: self)
        routes.add(to: group.group("crm"))
        // The portal's details, which any token may read (`portalId`, `uiDomain`, …).
        group.get("account-info/v3/details") { request, context in
            await routes.serve(request, context) { portal in
                let body: JSONObject = [
                    "portalId": .int(Int64(portal) ?? 0), "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD",
                    "additionalCurrencies": [], "utcOffset": "-05:00", "utcOffsetMilliseconds": -18_000_000, "uiDomain": "app.hubspot.com",
                    "dataHostingLocation": "na1",
                ]
                return (HubSpotReply(body: body), [])
            }
        }
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        HubSpotAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }

    /// The portal a bearer token reaches: the seeded one, or the account the OAuth server issued
    /// the token for.
    func portal(forToken token: String) -> String? {
        if token == Self.seededToken { return Self.seededPortalID }
        return oauth.server.validate(token)?.account.id
    }

    /// The id of the index-th seeded object of a type (`contacts`), the same in every portal.
    public static func seededID(_ type: String, _ index: Int) -> String {
        HubSpotObjectType.named(type).map { String(HubSpotSeed.id($0, index)) } ?? ""
    }
}
