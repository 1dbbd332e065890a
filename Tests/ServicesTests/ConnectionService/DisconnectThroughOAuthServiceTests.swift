import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import Testing

/// connection-service holds no client secret: disconnecting an OAuth connection has oauth-service
/// revoke the grant (the provider refuses the old token afterwards, the audit row says so), and
/// with oauth-service down a connection test answers 503 with Retry-After instead of blaming the
/// organization's credentials.
@Suite(.serialized)
struct DisconnectThroughOAuthServiceTests {
    @Test func disconnectHasOAuthServiceRevokeTheGrant() async throws {
        try await SyncThroughOAuthServiceTests.withShopifyOverOAuth { harness, oauth, token, organization, id in
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.logger)
            let connection = try #require(await repository.get(organization: organization, id: id))
            let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
            #expect(lifecycle.tokens is RemoteTokenSource, "connection-service asks oauth-service")
            let fields = try await lifecycle.credentials.open(connection, actor: "test").fields

            let deleted = try await harness.request(.delete, "/api/v1/integrations/connections/\(id)", token: token)
            #expect(deleted.status == .ok, "\(deleted.text)")
            #expect(deleted.json["status"]?.stringValue == "disconnected", "\(deleted.text)")
            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log", token: token)
            #expect(audit.text.contains(#""revoked":true"#), "\(audit.text)")

            // The old token no longer works at the provider.
            let connector = try #require(lifecycle.factory.connector(provider: "shopify", credentials: fields.values))
            await #expect(throws: ConnectorError.self) { _ = try await connector.testConnection() }

            // Asking again is harmless: nothing is left to revoke.
            let again = try await oauth.service.request(
                .post,
                "/internal/connections/\(id)/revoke?organization=\(organization)",
                token: harness.hub.internalToken
            )
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.json["attempted"] == false, "\(again.text)")
            let unauthenticated = try await oauth.service.request(
                .post,
                "/internal/connections/\(id)/revoke?organization=\(organization)",
                token: nil
            )
            #expect(unauthenticated.status == .unauthorized)
        }
    }

    @Test func withOAuthServiceDownATestAnswers503WithRetryAfter() async throws {
        try await SyncThroughOAuthServiceTests.withShopifyOverOAuth { _, _, _, _, _ in
        } afterwards: { harness, token, _, id in
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() - interval '1 minute' WHERE id = \(id)",
                logger: harness.logger
            )
            let tested = try await harness.request(.post, "/api/v1/integrations/connections/\(id)/test", token: token)
            #expect(tested.status == .serviceUnavailable, "\(tested.text)")
            #expect(tested.json["error"]?["code"]?.stringValue == "dependency_unavailable", "\(tested.text)")
            #expect(tested.headers[.retryAfter] != nil)
            // Nothing is concluded about the credentials.
            let connection = try await harness.request(.get, "/api/v1/integrations/connections/\(id)", token: token)
            #expect(connection.json["status"]?.stringValue == "connected", "\(connection.text)")
        }
    }
}
