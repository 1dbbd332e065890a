import Foundation

/// What an authorization-code exchange, a refresh or a client-credentials grant yields.
///
/// Stored in the connection's sealed credentials as flat fields (`credentialFields`), so
/// connectors read them like any other credential (`access_token`, `realm_id`, `instance_url`).
public struct OAuthTokens: Sendable, Equatable {
    public var accessToken: String
    /// Nil for providers whose tokens do not refresh (Shopify offline tokens, Slack bot tokens).
    public var refreshToken: String?
    /// When the access token stops working; nil when it does not expire.
    public var expiresAt: Date?
    /// When the refresh token itself expires, where the provider says (QuickBooks ~100 days).
    public var refreshTokenExpiresAt: Date?
    /// The scopes granted (which may be fewer than those asked for).
    public var scopes: [String]
    /// The provider's identifier of the account the grant reaches (QuickBooks realm id, Xero
    /// tenant id, Salesforce organization id, HubSpot hub id, Slack team id, shop domain): inbound
    /// webhooks are routed by it.
    public var accountID: String?
    /// The account's name, when the provider tells it.
    public var accountName: String?
    /// Non-secret values later calls need, by credential name (`realm_id`, `tenant_id`,
    /// `instance_url`, `shop_domain`, `team_id`).
    public var attributes: [String: String]
    /// The tenants the grant reaches where one grant may reach several (Xero organisations).
    /// Several with no `accountID` means the user must choose before the connection is usable.
    public var tenants: [ProviderTenant] = []

    /// Whether the grant reaches several tenants and none is chosen yet.
    public var needsTenantChoice: Bool {
        (accountID ?? "").isEmpty && tenants.count > 1
    }

    /// Makes `tenant` the account the grant is used for.
    public mutating func choose(_ tenant: ProviderTenant) {
        accountID = tenant.id
        accountName = tenant.name
        attributes[ProviderTenant.credentialField] = tenant.id
    }

    public init(
        accessToken: String,
        refreshToken: String? = nil,
        expiresAt: Date? = nil,
        refreshTokenExpiresAt: Date? = nil,
        scopes: [String] = [],
        accountID: String? = nil,
        accountName: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
        self.scopes = scopes
        self.accountID = accountID
        self.accountName = accountName
        self.attributes = attributes
    }

    /// The tokens as credential fields: `access_token`, `refresh_token` when present, and the
    /// attributes. Expiry, scopes and the account are kept by the caller in clear columns.
    public var credentialFields: [String: String] {
        var fields = attributes
        fields["access_token"] = accessToken
        if let refreshToken { fields["refresh_token"] = refreshToken }
        return fields
    }
}

extension OAuthTokens: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never prints a token, whatever interpolates it.
    public var description: String {
        "OAuthTokens(accessToken: ***, refreshToken: \(refreshToken == nil ? "nil" : "***"), expiresAt: "
            + "\(expiresAt.map { "\($0)" } ?? "nil"), scopes: \(scopes), accountID: \(accountID ?? "nil"))"
    }
    public var debugDescription: String { description }
}
