import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
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

    @Test func payPalsClientCredentialsGrantIsMadeByOAuthService() async throws {
        try await SyncThroughOAuthServiceTests.withShopifyOverOAuth { harness, _, _, _, _ in
            let client = try #require(SandboxConfiguration().secrets.oauthClients["paypal"])
            let before = try await harness.sandbox.send(.GET, "/_admin/paypal/oauth/stats").json["client_credentials_grants"]?.intValue ?? 0
            let created = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: try await harness.hub.token(organization: UUID()),
                json: #"{"provider":"paypal","credentials":{"client_id":"\#(client.id)","client_secret":"\#(client.secret)"}}"#
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["status"]?.stringValue == "connected", "\(created.text)")
            let after = try await harness.sandbox.send(.GET, "/_admin/paypal/oauth/stats").json["client_credentials_grants"]?.intValue ?? 0
            // Two grants: oauth-service's, whose token is stored with the connection, and the
            // connector's own test call (PayPal's check is a grant with the organization's keys).
            #expect(after == before + 2, "\(after - before) grants")
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
            // connection-service cannot make PayPal's client-credentials grant itself either.
            let client = try #require(SandboxConfiguration().secrets.oauthClients["paypal"])
            let payPal = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: try await harness.hub.token(organization: UUID()),
                json: #"{"provider":"paypal","credentials":{"client_id":"\#(client.id)","client_secret":"\#(client.secret)"}}"#
            )
            #expect(payPal.status == .serviceUnavailable, "\(payPal.text)")
        }
    }
}
