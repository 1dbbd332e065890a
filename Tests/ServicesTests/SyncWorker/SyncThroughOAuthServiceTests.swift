import Foundation
import HubConnections
import HubCore
import HubTestSupport
import ProviderSandbox
import Synchronization
import Testing

/// The sync worker holds no client secret: an OAuth connection's token comes from oauth-service
/// (a live instance beside it), refreshed there when it has expired, again with `force` when the
/// provider refuses it, and a refused refresh still ends the job with the reauthorization reason.
@Suite(.serialized)
struct SyncThroughOAuthServiceTests {
    static var shopifyClient: [String: String] {
        let secrets = SandboxConfiguration().secrets
        return ["HUB_PROVIDER_SHOPIFY_CLIENT_ID": secrets.shopifyClientID, "HUB_PROVIDER_SHOPIFY_CLIENT_SECRET": secrets.shopifyClientSecret]
    }

    /// A sync harness (connection-service in-process) with oauth-service live beside it, and a
    /// Shopify connection made through oauth-service's OAuth routes. `afterwards` runs once
    /// oauth-service has stopped.
    static func withShopifyOverOAuth(
        _ body: @Sendable (SyncHarness, LiveOAuthService, _ token: String, _ organization: UUID, _ connection: UUID) async throws -> Void,
        afterwards: (@Sendable (SyncHarness, _ token: String, _ organization: UUID, _ connection: UUID) async throws -> Void)? = nil
    ) async throws {
        let port = try freePort()
        try await SyncHarness.run(environment: ["HUB_SERVICE_URL_OAUTH": "http://127.0.0.1:\(port)"]) { harness in
            var environment = harness.environment.merging(Self.shopifyClient) { _, new in new }
            environment["HUB_UI_ORIGIN"] = OAuthRoutesTests.uiOrigin
            // The callback address the sandbox's client was registered with (the redirect is only
            // read from its query here, never followed).
            environment["HUB_OAUTH_REDIRECT_BASE_URL"] = "http://127.0.0.1:\(HubServiceKind.oauth.defaultPort)"
            let made = Mutex<(String, UUID, UUID)?>(nil)
            try await LiveOAuthService.run(port: port, environment: environment, sandboxPort: harness.service.sandboxPort) { oauth in
                let organization = UUID()
                let token = try await harness.hub.token(organization: organization)
                let started = try await oauth.service.request(
                    .get,
                    "/api/v1/integrations/oauth/shopify/authorize?shop_domain=\(SyncHarness.shop)",
                    token: token
                )
                let url = try #require(started.json["authorization_url"]?.stringValue, "\(started.text)")
                let query = try await ProviderConnectionMatrixTests.approve(url)
                let id = try await OAuthRoutesTests.connect(oauth.service, provider: "shopify", token: token, query: query)
                made.withLock { $0 = (token, organization, id) }
                try await body(harness, oauth, token, organization, id)
            }
            if let afterwards, let (token, organization, id) = made.withLock({ $0 }) {
                try await afterwards(harness, token, organization, id)
            }
        }
    }

    func connection(_ harness: SyncHarness, _ organization: UUID, _ id: UUID) async throws -> Connection {
        try #require(
            await ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.logger).get(organization: organization, id: id)
        )
    }

    func storedAccessToken(_ harness: SyncHarness, _ connection: Connection) async throws -> String {
        let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
        return try #require(try await lifecycle.credentials.open(connection, actor: "test").fields["access_token"])
    }

    @Test func anExpiredTokenIsRefreshedByOAuthServiceForTheSync() async throws {
        try await Self.withShopifyOverOAuth { harness, oauth, token, organization, id in
            let before = try await connection(harness, organization, id)
            #expect(before.tokenExpiresAt != nil, "Shopify's expiring offline tokens")
            let oldToken = try await storedAccessToken(harness, before)
            // The token has expired, at the provider and in the hub's records.
            _ = try await harness.sandbox.send(.POST, "/_admin/shopify/oauth/tokens/expire", json: #"{"token":"\#(oldToken)"}"#)
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() - interval '1 minute' WHERE id = \(id)",
                logger: harness.logger
            )
            _ = try await harness.sandbox.send(.DELETE, "/_admin/shopify/oauth/stats")

            // The worker is given the secret too, and must not read it.
            try await harness.withSyncWorkerProcessConfiguration(oauthURL: oauth.url, extra: Self.shopifyClient) { worker in
                #expect(worker.dependencies.configuration.providers.clients["shopify"]?.clientSecret == nil)
                let job = try await harness.trigger(token, connection: id.uuidString.lowercased(), json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
                #expect((done["records_seen"]?.intValue ?? 0) > 0, "\(done)")
            }
            let stats = try await harness.sandbox.send(.GET, "/_admin/shopify/oauth/stats").json
            #expect(stats["refreshes"]?.intValue == 1, "one refresh, by oauth-service: \(stats)")
            let after = try await connection(harness, organization, id)
            #expect((after.tokenExpiresAt ?? .distantPast) > Date().addingTimeInterval(600), "the new expiry is stored")
            #expect(try await storedAccessToken(harness, after) != oldToken)
        }
    }

    @Test func aTokenTheProviderRefusesIsAskedForAgainWithForce() async throws {
        try await Self.withShopifyOverOAuth { harness, oauth, token, organization, id in
            let before = try await connection(harness, organization, id)
            let oldToken = try await storedAccessToken(harness, before)
            // Valid by the hub's records, refused by the provider: only a 401 reveals it.
            _ = try await harness.sandbox.send(.POST, "/_admin/shopify/oauth/tokens/expire", json: #"{"token":"\#(oldToken)"}"#)
            _ = try await harness.sandbox.send(.DELETE, "/_admin/shopify/oauth/stats")
            try await harness.withSyncWorkerProcessConfiguration(oauthURL: oauth.url) { _ in
                let job = try await harness.trigger(token, connection: id.uuidString.lowercased(), json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "completed", "\(done)")
            }
            let stats = try await harness.sandbox.send(.GET, "/_admin/shopify/oauth/stats").json
            #expect(stats["refreshes"]?.intValue == 1, "\(stats)")
        }
    }

    @Test func aRefusedRefreshEndsTheJobWithTheReauthorizationReason() async throws {
        try await Self.withShopifyOverOAuth { harness, oauth, token, organization, id in
            let before = try await connection(harness, organization, id)
            let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
            let fields = try await lifecycle.credentials.open(before, actor: "test").fields
            // The merchant uninstalled the app: the whole grant is gone at the provider.
            try await harness.sandbox.revokeAtProvider("shopify", token: try #require(fields["refresh_token"]))
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() - interval '1 minute' WHERE id = \(id)",
                logger: harness.logger
            )
            try await harness.withSyncWorkerProcessConfiguration(oauthURL: oauth.url) { _ in
                let job = try await harness.trigger(token, connection: id.uuidString.lowercased(), json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "failed", "\(done)")
                #expect(done["status_reason"]?.stringValue?.contains("refused to refresh") == true, "\(done)")
            }
            #expect(try await connection(harness, organization, id).status == .reauthRequired)
        }
    }

    @Test func oauthServiceDownFailsTheJobWithAClearReasonAndTheTestWith503() async throws {
        try await Self.withShopifyOverOAuth { harness, _, token, _, id in
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() - interval '1 minute' WHERE id = \(id)",
                logger: harness.logger
            )
            // A port nothing listens on.
            let nowhere = "http://127.0.0.1:\(try freePort())"
            try await harness.withSyncWorkerProcessConfiguration(oauthURL: nowhere) { _ in
                let job = try await harness.trigger(token, connection: id.uuidString.lowercased(), json: #"{"entity":"customers"}"#)
                let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                #expect(done["status"]?.stringValue == "failed", "\(done)")
                #expect(done["status_reason"]?.stringValue?.contains("oauth-service") == true, "\(done)")
            }
        }
    }
}
