import AsyncHTTPClient
import Foundation
import HubConnections
import HubCore
import HubRedis
import HubTestSupport
import Hummingbird
import NIOCore
import XCTest

@testable import OAuthService

/// Token refresh under contention and refusal: 50 concurrent callers across two oauth-service
/// processes for a nearly expired QuickBooks token cause exactly one refresh at the sandbox; a
/// refused refresh token marks the connection `reauth_required` and publishes the event.
final class TokenRefreshTests: XCTestCase {
    static let client = [
        "HUB_PROVIDER_QUICKBOOKS_CLIENT_ID": "quickbooks-sandbox-client", "HUB_PROVIDER_QUICKBOOKS_CLIENT_SECRET": "quickbooks-sandbox-secret",
    ]

    /// Connects QuickBooks for a new organization through the in-process routes.
    static func connectQuickBooks(_ harness: ServiceHarness) async throws -> (organization: UUID, id: UUID) {
        let org = UUID()
        let token = try await harness.hub.token(organization: org)
        let query = try await OAuthRoutesTests.authorize(harness, token: token)
        let id = try await OAuthRoutesTests.connect(harness, token: token, query: query)
        return (org, id)
    }

    /// oauth-service's routes in-process with QuickBooks' client, and a new organization's
    /// QuickBooks connected through them.
    static func withConnectedQuickBooks(
        _ body: @Sendable (ServiceHarness, SandboxAdmin, _ organization: UUID, _ connection: UUID, ConnectionLifecycle) async throws -> Void
    ) async throws {
        var environment = Self.client
        environment["HUB_UI_ORIGIN"] = OAuthRoutesTests.uiOrigin
        try await ServiceHarness.run(
            service: .oauth,
            environment: environment,
            addRoutes: OAuthService.addRoutes(to:dependencies:),
            openAPI: try OAuthService.openAPI()
        ) { harness in
            let (organization, connection) = try await Self.connectQuickBooks(harness)
            let admin = SandboxAdmin(baseURL: harness.sandboxURL)
            try await body(harness, admin, organization, connection, ConnectionLifecycle(dependencies: harness.hub.dependencies))
        }
    }

    func testFiftyConcurrentCallersAcrossTwoProcessesCauseExactlyOneRefresh() async throws {
        let vaultKeys = VaultKeyRing.generateEntry(id: "race")
        let internalToken = TestHub.randomToken()
        var environment = Self.client
        environment["HUB_VAULT_KEYS"] = vaultKeys
        environment["HUB_INTERNAL_TOKEN"] = internalToken
        environment["HUB_UI_ORIGIN"] = OAuthRoutesTests.uiOrigin
        let shared = environment
        try await ServiceHarness.run(
            service: .oauth,
            environment: shared,
            addRoutes: OAuthService.addRoutes(to:dependencies:),
            openAPI: try OAuthService.openAPI()
        ) { harness in
            let admin = SandboxAdmin(baseURL: harness.sandboxURL)
            let (org, id) = try await Self.connectQuickBooks(harness)
            _ = try await admin.send(.DELETE, "/_admin/quickbooks/oauth/stats")
            // Nearly expired: inside every caller's refresh window.
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() + interval '20 seconds' WHERE id = \(id)",
                logger: harness.hub.dependencies.logger
            )

            var processes: [(ChildProcess, Int)] = []
            defer { for (child, _) in processes { child.kill() } }
            for _ in 0..<2 {
                let port = try freePort()
                var childEnvironment = shared
                childEnvironment["DATABASE_URL"] = try TestEnvironment.databaseURL
                childEnvironment["REDIS_URL"] = try TestEnvironment.redisURL
                childEnvironment["HUB_JWT_HS256_SECRET"] = harness.hub.hs256Secret
                childEnvironment["HUB_PORT"] = String(port)
                childEnvironment["HUB_PROVIDER_SANDBOX_URL"] = harness.sandboxURL
                childEnvironment["HUB_LOG_LEVEL"] = "info"
                let child = try ChildProcess("oauth-service", environment: childEnvironment)
                try child.start()
                processes.append((child, port))
            }
            for (child, port) in processes {
                let ready = try await ServiceProcessTests.waitUntilReady("http://127.0.0.1:\(port)/readyz", while: child)
                XCTAssertTrue(ready, child.outputText)
            }

            let ports = processes.map(\.1)
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for caller in 0..<50 {
                    group.addTask {
                        var request = HTTPClientRequest(
                            url: "http://127.0.0.1:\(ports[caller % 2])/internal/connections/\(id)/access-token?organization=\(org)"
                        )
                        request.headers.add(name: "Authorization", value: "Bearer \(internalToken)")
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        XCTAssertEqual(response.status.code, 200, String(buffer: body))
                        let json = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
                        return json["access_token"]?.stringValue ?? ""
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let stats = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(stats["refreshes"]?.intValue, 1, "\(stats)")
            XCTAssertEqual(stats["refresh_reuse_rejected"]?.intValue, 0, "an old refresh token was presented again: \(stats)")
            XCTAssertEqual(stats["refresh_reuse_accepted"]?.intValue, 0, "\(stats)")
            XCTAssertEqual(Set(tokens).count, 1, "callers got different tokens")
            // The token every caller got works at the provider.
            let realm = try await XCTUnwrapAsync(
                await ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
                    .get(organization: org, id: id)?.accountID
            )
            let check = try await admin.send(
                .GET,
                "/quickbooks/v3/company/\(realm)/companyinfo/\(realm)",
                headers: ["Authorization": "Bearer \(tokens[0])"]
            )
            XCTAssertEqual(check.status, 200, check.text)
            for (child, _) in processes {
                XCTAssertFalse(child.outputText.contains(tokens[0]), "a process logged the access token")
            }
        }
    }

    func testTheBackgroundLoopRefreshesTokensAheadOfExpiry() async throws {
        try await Self.withConnectedQuickBooks { harness, admin, org, id, lifecycle in
            let loop = TokenRefreshService(lifecycle: lifecycle, interval: .seconds(60), window: 600, logger: harness.hub.dependencies.logger)
            let before = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            // Fresh for an hour: nothing to do.
            _ = try await admin.send(.DELETE, "/_admin/quickbooks/oauth/stats")
            await loop.refreshDue()
            let idle = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(idle["refreshes"]?.intValue, 0, "\(idle)")
            // Inside the window: refreshed once, and the new expiry is stored.
            try await harness.hub.dependencies.postgres.query(
                "UPDATE connections SET token_expires_at = now() + interval '5 minutes' WHERE id = \(id)",
                logger: harness.hub.dependencies.logger
            )
            await loop.refreshDue()
            await loop.refreshDue()
            let stats = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(stats["refreshes"]?.intValue, 1, "\(stats)")
            let after = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            XCTAssertGreaterThan(after.tokenExpiresAt ?? .distantPast, Date().addingTimeInterval(1800))
            XCTAssertNotEqual(after.credentialsRotatedAt, before.credentialsRotatedAt)
            XCTAssertEqual(after.status, .connected)
        }
    }

    func testARefusedRefreshMarksReauthRequiredAndPublishesTheEvent() async throws {
        try await Self.withConnectedQuickBooks { harness, admin, org, id, lifecycle in
            let connection = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            // The user disconnects the app in QuickBooks itself: the refresh token dies.
            let fields = try await lifecycle.credentials.open(connection, actor: "test").fields
            try await admin.revokeAtProvider("quickbooks", token: try XCTUnwrap(fields["refresh_token"]))
            let reply = try await harness.request(
                .get,
                "/internal/connections/\(id)/access-token?organization=\(org)&force=true",
                token: harness.hub.internalToken
            )
            XCTAssertEqual(reply.status, .conflict, reply.text)
            XCTAssertEqual(reply.json["error"]?["code"]?.stringValue, "reauth_required")
            let after = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            XCTAssertEqual(after.status, .reauthRequired)
            XCTAssertEqual(after.statusReason?.contains("refused"), true, after.statusReason ?? "")

            let entries = try await harness.hub.dependencies.redis.send("XREVRANGE", HubEventPublisher.stream, "+", "-", "COUNT", "200")
            let text = "\(entries)"
            XCTAssertTrue(text.contains("connection.reauth_required") && text.contains(id.uuidString.lowercased()), text)

            // Another organization's id answers 404 on the internal route too.
            let foreign = try await harness.request(
                .get,
                "/internal/connections/\(id)/access-token?organization=\(UUID())",
                token: harness.hub.internalToken
            )
            XCTAssertEqual(foreign.status, .notFound)
        }
    }

    /// QuickBooks rotates the refresh token with every refresh and refuses the old one after. A
    /// refresh whose new tokens PostgreSQL would not take (here a trigger refuses the write; in
    /// production PostgreSQL away past the request's deadline, or the process killed) keeps them
    /// sealed in Redis, and the next refresh stores them instead of presenting the dead token,
    /// which would have cost the organization its connection.
    func testARefreshedTokenPostgreSQLDidNotTakeIsStoredByTheNextRefresh() async throws {
        try await Self.withConnectedQuickBooks { harness, admin, org, id, lifecycle in
            let (postgres, logger) = (harness.hub.dependencies.postgres, harness.hub.dependencies.logger)
            _ = try await admin.send(.DELETE, "/_admin/quickbooks/oauth/stats")
            let connection = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            let before = try await lifecycle.credentials.open(connection, actor: "test").fields

            let refusal = try await RefusingTrigger.install(
                "refuse_credentials",
                refusing: "UPDATE OF credential_ciphertext",
                on: "connections",
                message: "no space left on device",
                client: postgres,
                logger: logger
            )
            do {
                _ = try await lifecycle.tokens.freshCredentials(for: connection, actor: "test", force: true)
                XCTFail("the write was refused; the refresh cannot have succeeded")
            } catch {}
            try await refusal.remove()
            var stats = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(stats["refreshes"]?.intValue, 1, "the provider rotated the refresh token: \(stats)")

            let fields = try await lifecycle.tokens.freshCredentials(for: connection, actor: "test", force: true)
            XCTAssertNotEqual(fields["refresh_token"], before["refresh_token"])
            stats = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(stats["refresh_reuse_rejected"]?.intValue, 0, "the dead refresh token was presented: \(stats)")
            let after = try await XCTUnwrapAsync(await lifecycle.repository.get(organization: org, id: id))
            XCTAssertEqual(after.status, .connected, after.statusReason ?? "")
            let stored = try await lifecycle.credentials.open(after, actor: "test").fields
            XCTAssertEqual(stored["refresh_token"], fields["refresh_token"])
            // What Redis held was sealed, and it is gone once stored.
            let keys = try await harness.hub.dependencies.redis.send("KEYS", "hub:refreshed-credentials:*")
            XCTAssertEqual("\(keys)", "\(RESPValue.array([]))")
            // And the stored set refreshes as any other.
            _ = try await lifecycle.tokens.freshCredentials(for: after, actor: "test", force: true)
            stats = try await admin.oauthStats("quickbooks")
            XCTAssertEqual(stats["refresh_reuse_rejected"]?.intValue, 0, "\(stats)")
        }
    }
}
