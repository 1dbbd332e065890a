import Foundation
import HubConnectors
import HubCore
import PostgresNIO

extension Connection: PostgresRowDecodable {
    /// A row of `ConnectionRepository.columns`.
    public init(row: PostgresRow) throws {
        let (
            id, organizationID, provider, name, status, statusReason, statusChangedAt, settings, syncEnabled, accountID, accountName,
            credentialFields, credentialsRotatedAt, tokenExpiresAt, scopes, lastTestedAt, lastTestOK, lastTestMessage, createdBy,
            createdAt, updatedAt, disconnectedAt, tenants, apiUsage
        ) = try row.decode(
            (
                UUID, UUID, String, String, ConnectionStatus, String?, Date, JSONValue, Bool, String?, String?, [String], Date?, Date?,
                [String], Date?, Bool?, String?, String, Date, Date, Date?, JSONValue, JSONValue?
            ).self
        )
        self.init(
            id: id,
            organizationID: organizationID,
            provider: provider,
            name: name,
            status: status,
            statusReason: statusReason,
            statusChangedAt: statusChangedAt,
            settings: settings,
            syncEnabled: syncEnabled,
            accountID: accountID,
            accountName: accountName,
            tenants: (tenants.arrayValue ?? []).compactMap(ProviderTenant.init(json:)),
            credentialFields: credentialFields,
            credentialsRotatedAt: credentialsRotatedAt,
            tokenExpiresAt: tokenExpiresAt,
            scopes: scopes,
            lastTestedAt: lastTestedAt,
            lastTestOK: lastTestOK,
            lastTestMessage: lastTestMessage,
            createdBy: createdBy,
            createdAt: createdAt,
            updatedAt: updatedAt,
            disconnectedAt: disconnectedAt,
            apiUsage: apiUsage.flatMap(ProviderQuota.init(json:))
        )
    }
}
