import ConnectionService
import Foundation
import HubConnections
import HubCore
import HubTestSupport
import OAuthService
import XCTest

/// Plaid Link through oauth-service, then the connection's life in connection-service: link
/// token, public token exchange, test, disconnect with the Item removed at the sandbox.
final class PublicTokenRoutesTests: XCTestCase {
    static let plaidClient = ["HUB_PROVIDER_PLAID_CLIENT_ID": "plaid-sandbox-client", "HUB_PROVIDER_PLAID_CLIENT_SECRET": "plaid-sandbox-secret"]

    func withServices(environment: [String: String] = plaidClient, _ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(
            service: .oauth,
            environment: environment,
            addRoutes: {
                OAuthService.addRoutes(to: $0, dependencies: $1)
                ConnectionService.addRoutes(to: $0, dependencies: $1)
            },
            openAPI: try OAuthService.openAPI(),
            body
        )
    }

    /// A public token as Link would return it, from the sandbox's shortcut endpoint.
    static func publicToken(_ harness: ServiceHarness) async throws -> String {
        let reply = try await SandboxAdmin(baseURL: harness.sandboxURL).send(
            .POST,
            "/plaid/sandbox/public_token/create",
            json:
                #"{"client_id":"plaid-sandbox-client","secret":"plaid-sandbox-secret","institution_id":"ins_109508","initial_products":["transactions"]}"#
        )
        return try XCTUnwrap(reply.json["public_token"]?.stringValue, reply.text)
    }

    func testPlaidLinkConnectsTestsAndDisconnectsWithTheItemRemoved() async throws {
        try await withServices { harness in
            let token = try await harness.hub.token(organization: UUID(), subject: "dave")
            let link = try await harness.request(.post, "/api/v1/integrations/oauth/plaid/link-token", token: token)
            XCTAssertEqual(link.status, .ok, link.text)
            XCTAssertEqual(link.json["link_token"]?.stringValue?.hasPrefix("link-"), true, link.text)

            let publicToken = try await Self.publicToken(harness)
            let exchanged = try await harness.request(
                .post,
                "/api/v1/integrations/oauth/plaid/exchange",
                token: token,
                json: #"{"public_token":"\#(publicToken)"}"#
            )
            XCTAssertEqual(exchanged.status, .created, exchanged.text)
            let connection = try exchanged.decode(Connection.self)
            XCTAssertEqual(connection.status, .connected, exchanged.text)
            XCTAssertEqual(connection.credentialFields, ["access_token"])
            XCTAssertNotNil(connection.accountID)
            XCTAssertFalse(exchanged.text.contains("access-sandbox"), "the access token was returned")

            // A public token works once.
            let again = try await harness.request(
                .post,
                "/api/v1/integrations/oauth/plaid/exchange",
                token: token,
                json: #"{"public_token":"\#(publicToken)"}"#
            )
            XCTAssertEqual(again.status, .conflict, again.text)

            // Disconnect removes the Item at Plaid: its access token stops working.
            let lifecycle = ConnectionLifecycle(dependencies: harness.hub.dependencies)
            let accessToken = try await lifecycle.credentials.open(connection, actor: "test").fields["access_token"]
            let deleted = try await harness.request(.delete, "/api/v1/integrations/connections/\(connection.id)", token: token)
            XCTAssertEqual(deleted.status, .ok, deleted.text)
            let probe = try await SandboxAdmin(baseURL: harness.sandboxURL).send(
                .POST,
                "/plaid/accounts/get",
                json: #"{"client_id":"plaid-sandbox-client","secret":"plaid-sandbox-secret","access_token":"\#(accessToken ?? "")"}"#
            )
            XCTAssertEqual(probe.status, 400, probe.text)
            XCTAssertTrue(probe.text.contains("ITEM_NOT_FOUND") || probe.text.contains("INVALID_ACCESS_TOKEN"), probe.text)
            let audit = try await harness.request(.get, "/api/v1/integrations/audit-log", token: token)
            XCTAssertTrue(audit.text.contains(#""revoked":true"#), audit.text)
        }
    }

    func testWidgetRoutesRefuseWhatTheyCannotDo() async throws {
        try await withServices(environment: [:]) { harness in
            let token = try await harness.hub.token(organization: UUID())
            let unconfigured = try await harness.request(.post, "/api/v1/integrations/oauth/plaid/link-token", token: token)
            XCTAssertEqual(unconfigured.status, .unprocessableContent, unconfigured.text)
            XCTAssertEqual(unconfigured.json["error"]?["code"]?.stringValue, "provider_not_configured")
            let stripe = try await harness.request(.post, "/api/v1/integrations/oauth/stripe/link-token", token: token)
            XCTAssertEqual(stripe.status, .unprocessableContent)
        }
        try await withServices { harness in
            let token = try await harness.hub.token(organization: UUID())
            let bad = try await harness.request(
                .post,
                "/api/v1/integrations/oauth/plaid/exchange",
                token: token,
                json: #"{"public_token":"public-sandbox-forged"}"#
            )
            XCTAssertTrue((400..<500).contains(Int(bad.status.code)), bad.text)
            let missing = try await harness.request(.post, "/api/v1/integrations/oauth/plaid/exchange", token: token, json: "{}")
            XCTAssertEqual(missing.status, .unprocessableContent)
            let listed = try await harness.request(.get, "/api/v1/integrations/connections", token: token)
            XCTAssertEqual(listed.json["data"]?.arrayValue?.count, 0)
        }
    }
}
