/// The provider account a grant reaches: the company, organisation, org, portal, workspace, shop or
/// merchant app the user "picked" on the consent screen. Data APIs read it from `TokenInfo` to know
/// whose data a token may see.
public struct SandboxOAuthAccount: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case id
        case name
        case userID = "user_id"
        case details
        case otherAccounts = "other_accounts"
    }

    /// The provider's account id: QuickBooks `realmId`, Xero `tenantId`, Salesforce org id, HubSpot
    /// `hub_id`, Slack team id, Shopify shop domain, PayPal `app_id`.
    public var id: String
    /// The account's display name (company, organisation, workspace).
    public var name: String
    /// The user who consented, in the provider's id form, when the provider names one.
    public var userID: String?
    /// Provider-specific ids the token responses and who-am-I endpoints repeat (`bot_user_id`,
    /// `app_id`, `connection_id`, `hub_domain`).
    public var details: [String: String]
    /// More accounts the same consent reached (a Xero user may tick several organisations); nil
    /// for the one-account grants of every other provider.
    public var otherAccounts: [SandboxOAuthAccount]?

    /// This account and the others the consent reached.
    public var consented: [SandboxOAuthAccount] {
        [self] + (otherAccounts ?? [])
    }

    public init(id: String, name: String, userID: String? = nil, details: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.userID = userID
        self.details = details
    }
}
