import Foundation
import HubConnections
import HubCore
import HubTestSupport
import ProviderSandbox
import Testing

/// A Salesforce session that ended (`401 INVALID_SESSION_ID`; Salesforce's tokens carry no
/// expiry the hub could see coming) is refreshed once through oauth-service and the sync goes on.
@Suite(.serialized)
struct SalesforceSessionTests {
    static var client: [String: String] {
        let client = SandboxConfiguration().secrets.oauthClients["salesforce"]!
        return ["HUB_PROVIDER_SALESFORCE_CLIENT_ID": client.id, "HUB_PROVIDER_SALESFORCE_CLIENT_SECRET": client.secret]
    }

    @Test func anEndedSessionIsRefreshedOnceAndTheSyncCompletes() async throws {
        let port = try freePort()
        let environment = ["HUB_SERVICE_URL_OAUTH": "http://127.0.0.1:\(port)", "HUB_PROVIDER_SALESFORCE_RATE_LIMIT": "1000/1000"]
        try await SyncHarness.run(environment: environment) { harness in
            var oauthEnvironment = harness.environment.merging(Self.client) { _, new in new }
            oauthEnvironment["HUB_UI_ORIGIN"] = OAuthRoutesTests.uiOrigin
            oauthEnvironment["HUB_OAUTH_REDIRECT_BASE_URL"] = "http://127.0.0.1:\(HubServiceKind.oauth.defaultPort)"
            try await LiveOAuthService.run(port: port, environment: oauthEnvironment, sandboxPort: harness.service.sandboxPort) { oauth in
                let organization = UUID()
                let token = try await harness.hub.token(organization: organization)
                let started = try await oauth.service.request(.get, "/api/v1/integrations/oauth/salesforce/authorize", token: token)
                let url = try #require(started.json["authorization_url"]?.stringValue, "\(started.text)")
                let query = try await ProviderConnectionMatrixTests.approve(url)
                let id = try await OAuthRoutesTests.connect(oauth.service, provider: "salesforce", token: token, query: query)
                let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.logger)
                let connection = try #require(try await repository.get(organization: organization, id: id))
                let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
                let fields = try await lifecycle.credentials.open(connection, actor: "test").fields
                #expect(fields["instance_url"] == harness.service.sandboxURL + "/salesforce", "the token response's instance_url")
                let oldToken = try #require(fields["access_token"])
                // The session ends at Salesforce; the hub's records cannot tell.
                _ = try await harness.sandbox.send(.POST, "/_admin/salesforce/oauth/tokens/expire", json: #"{"token":"\#(oldToken)"}"#)
                _ = try await harness.sandbox.send(.DELETE, "/_admin/salesforce/oauth/stats")

                try await harness.withSyncWorkerProcessConfiguration(oauthURL: oauth.url) { _ in
                    let job = try await harness.trigger(token, connection: id.uuidString.lowercased(), json: #"{"entity":"products"}"#)
                    let done = try await harness.waitForJob(token, try #require(job["id"]?.stringValue))
                    #expect(done["status"]?.stringValue == "completed", "\(done)")
                    #expect(done["counts"]?["created"]?.intValue == 25, "\(done)")
                }
                let stats = try await harness.sandbox.send(.GET, "/_admin/salesforce/oauth/stats").json
                #expect(stats["refreshes"]?.intValue == 1, "one refresh, by oauth-service: \(stats)")
                let after = try #require(try await repository.get(organization: organization, id: id))
                let renewed = try await lifecycle.credentials.open(after, actor: "test").fields
                #expect(renewed["access_token"] != oldToken)
                #expect(renewed["instance_url"] == fields["instance_url"], "the instance is kept across the refresh")
            }
        }
    }
}
