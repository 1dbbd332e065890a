import Foundation
import HubConnectors
import HubCore
import PostgresNIO

extension ConnectionRepository {
    /// Keeps the provider's latest reported API allowance on the connection, in the caller's
    /// transaction (a sync's page write). An older observation never replaces a newer one, so
    /// concurrent syncs and a repeated page leave the same figure; `updated_at` stays, since
    /// nobody changed the connection.
    public func noteAPIUsage(_ quota: ProviderQuota, organization: UUID, id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE connections SET api_usage = \(quota.json)
            WHERE org_id = \(organization) AND id = \(id)
                AND (api_usage IS NULL OR (api_usage->>'observed_at')::timestamptz <= \(quota.observedAt))
            """,
            logger: logger
        )
    }
}
