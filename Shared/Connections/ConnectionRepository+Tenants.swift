import Foundation
import HubConnectors
import HubCore
import PostgresNIO

extension ConnectionRepository {
    /// Stores credentials that now name the chosen tenant and makes it the connection's account,
    /// only if no tenant is chosen yet and the credentials are still those of `expectedVersion`
    /// (a token refresh in between stored newer ones). False when either changed.
    func storeChosenTenant(
        organization: UUID,
        id: UUID,
        sealed: SealedSecret,
        fieldNames: [String],
        tenant: ProviderTenant,
        expectedVersion: Int64,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE connections SET credential_key_id = \(sealed.keyID), credential_ciphertext = \(Data(sealed.ciphertext)),
                credential_fields = \(fieldNames), credential_version = credential_version + 1,
                account_id = \(tenant.id), account_name = \(tenant.name), updated_at = now()
            WHERE org_id = \(organization) AND id = \(id) AND status <> 'disconnected'
                AND credential_version = \(expectedVersion) AND COALESCE(account_id, '') = ''
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }
}
