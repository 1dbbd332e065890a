import Hummingbird

/// The emulated Salesforce: the OAuth web server flow and identity endpoints
/// (`SalesforceOAuthRoutes`, whose token answers name this mount as `instance_url`) and the REST
/// API under `/salesforce/services/data/vXX.X/…`: SOQL queries with `nextRecordsUrl` cursors,
/// `/sobjects/{type}/updated` and `/deleted`, sObject CRUD and upsert, sObject Collections,
/// the `Sforce-Limit-Info` header against a daily allowance, and Salesforce's error arrays.
/// One org per token, seeded at the configured volume when first called.
public struct SalesforceProvider: SandboxProvider {
    /// The access token that reaches `seededOrgID` without an OAuth dance (tests, benchmarks).
    public static let seededToken = "salesforce-sandbox-access-token"
    public static let seededOrgID = SalesforceID.make("00D", 1)
    /// The newest REST API version the sandbox serves (Winter '26); v20.0 and later are accepted.
    public static let latestVersion = "v65.0"

    public let id = "salesforce"
    let oauth: SalesforceOAuthRoutes
    let store: SalesforceStore

    public init(configuration: SandboxConfiguration, oauth: SalesforceOAuthRoutes) {
        let store = SalesforceStore(volume: configuration.volume)
        var oauth = oauth
        oauth.additionalTokens = { token in
            store.org(ofToken: token).map { SandboxOAuthAccount(id: $0, name: "Sandbox Org", userID: SalesforceSeed.ownerID) }
        }
        self.oauth = oauth
        self.store = store
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addRoutes(to: group)
        SalesforceRoutes(provider: self).add(to: group.group("services/data"))
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        oauth.addAdminRoutes(to: group)
        SalesforceAdminRoutes(provider: self).add(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        oauth.faultResponse(fault)
    }

    /// The org a bearer token reaches: the seeded one, one the admin API made, or the org the
    /// OAuth server issued the token for (nil once it expired or was revoked).
    func org(forToken token: String) -> String? {
        store.org(ofToken: token) ?? oauth.server.validate(token)?.account.id
    }

    /// The id of the index-th seeded record of an sObject type (`Account`), the same in every org.
    public static func seededID(_ type: String, _ index: Int) -> String {
        SalesforceObjectType.named(type).map { SalesforceSeed.id($0, index) } ?? ""
    }
}
