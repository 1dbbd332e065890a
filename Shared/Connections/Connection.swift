import Foundation
import HubConnectors
import HubCore

/// One organization's link to one provider, as the API shows it: never a credential value, only
/// which credential fields are set and when they last changed.
public struct Connection: Codable, Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var provider: String
    public var name: String
    public var status: ConnectionStatus
    public var statusReason: String?
    public var statusChangedAt: Date
    public var settings: JSONValue
    public var syncEnabled: Bool
    public var accountID: String?
    public var accountName: String?
    /// The tenants the grant reaches where one grant may reach several (Xero organisations);
    /// empty for other providers.
    public var tenants: [ProviderTenant] = []
    /// The names of the credential fields that hold a value (`api_key`, `access_token`).
    public var credentialFields: [String]
    public var credentialsRotatedAt: Date?
    public var tokenExpiresAt: Date?
    public var scopes: [String]
    public var lastTestedAt: Date?
    public var lastTestOK: Bool?
    public var lastTestMessage: String?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var disconnectedAt: Date?
    /// The provider's API allowance as last reported on a sync (Salesforce); nil until one is.
    public var apiUsage: ProviderQuota?

    enum CodingKeys: String, CodingKey {
        case id, provider, name, status, settings, scopes
        case organizationID = "org_id"
        case statusReason = "status_reason"
        case statusChangedAt = "status_changed_at"
        case syncEnabled = "sync_enabled"
        case accountID = "account_id"
        case accountName = "account_name"
        case tenants
        case credentialFields = "credential_fields"
        case credentialsRotatedAt = "credentials_rotated_at"
        case tokenExpiresAt = "token_expires_at"
        case lastTestedAt = "last_tested_at"
        case lastTestOK = "last_test_ok"
        case lastTestMessage = "last_test_message"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case disconnectedAt = "disconnected_at"
        case apiUsage = "api_usage"
    }

    /// Whether the grant reaches several tenants and the user has not chosen one yet: the
    /// connection stays `connecting`, and tests and syncs are refused until the choice.
    public var awaitsTenantChoice: Bool {
        status != .disconnected && (accountID ?? "").isEmpty && tenants.count > 1
    }

    /// The vault binding of this connection's credentials: sealed for this organization and row.
    public var credentialBinding: VaultBinding {
        .connectionCredentials(organizationID: organizationID, connectionID: id)
    }
}

extension VaultBinding {
    /// What a connection's credentials are sealed to.
    public static func connectionCredentials(organizationID: UUID, connectionID: UUID) -> VaultBinding {
        VaultBinding(purpose: "connection.credentials", organizationID: organizationID, rowID: connectionID.uuidString.lowercased())
    }
}

/// One recorded status change.
public struct ConnectionStatusChange: Codable, Sendable, Equatable {
    public var status: ConnectionStatus
    public var reason: String?
    public var actor: String
    public var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case status, reason, actor
        case changedAt = "changed_at"
    }
}
