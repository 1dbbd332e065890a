import ConnectionService
import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubTestSupport
import OAuthService
import ProviderSandbox
import XCTest

/// Every OAuth provider among the ten, end to end against the sandbox through the two services:
/// authorize → the sandbox approves → callback → connected → test → disconnect, after which the
/// provider refuses the old token (revocation reached it). PayPal's client credentials through
/// connection-service likewise.
final class ProviderConnectionMatrixTests: XCTestCase {
    static var clientEnvironment: [String: String] {
        let secrets = SandboxConfiguration().secrets
        var environment: [String: String] = [
            "HUB_UI_ORIGIN": OAuthRoutesTests.uiOrigin,
            "HUB_PROVIDER_SHOPIFY_CLIENT_ID": secrets.shopifyClientID, "HUB_PROVIDER_SHOPIFY_CLIENT_SECRET": secrets.shopifyClientSecret,
        ]
        for (provider, client) in secrets.oauthClients where provider != "paypal" {
            environment["HUB_PROVIDER_\(provider.uppercased())_CLIENT_ID"] = client.id
            environment["HUB_PROVIDER_\(provider.uppercased())_CLIENT_SECRET"] = client.secret
        }
        return environment
    }

    func withServices(_ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await Self.withServices(body)
    }

    /// oauth-service's and connection-service's routes together, with every sandbox client registered.
    static func withServices(_ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(
            service: .oauth,
            environment: Self.clientEnvironment,
            addRoutes: {
                OAuthService.addRoutes(to: $0, dependencies: $1)
                ConnectionService.addRoutes(to: $0, dependencies: $1)
            },
            openAPI: try OAuthService.openAPI(),
            body
        )
    }

    /// After a disconnect, the old credentials must be refused by the provider.
    static func assertRevoked(
        _ harness: ServiceHarness,
        provider: String,
        fields: SecretFields,
        file: StaticString = #filePath,
        line: UInt = #line
    ) async {
        let factory = ConnectionLifecycle(dependencies: harness.hub.dependencies).factory
        guard let connector = factory.connector(provider: provider, credentials: fields.values) else {
            return XCTFail("no connector for \(provider)", file: file, line: line)
        }
        do {
            _ = try await connector.testConnection()
            XCTFail("\(provider): the old credential still works after disconnect", file: file, line: line)
        } catch {
            guard case .authenticationFailed = error else {
                return XCTFail("\(provider): expected authenticationFailed, got \(error)", file: file, line: line)
            }
        }
    }

    func testEveryOAuthProviderConnectsTestsAndDisconnectsWithRevocation() async throws {
        try await withServices { harness in
            let providers: [(String, String)] = [
                ("quickbooks", ""), ("xero", ""), ("salesforce", ""), ("hubspot", ""), ("slack", ""),
                ("shopify", "?shop_domain=hub-sandbox.myshopify.com"),
            ]
            for (provider, parameters) in providers {
                let org = UUID()
                let token = try await harness.hub.token(organization: org, subject: "erin")
                let started = try await harness.request(.get, "/api/v1/integrations/oauth/\(provider)/authorize\(parameters)", token: token)
                XCTAssertEqual(started.status, .ok, "\(provider): \(started.text)")
                let url = try XCTUnwrap(started.json["authorization_url"]?.stringValue, provider)
                let query = try await Self.approve(url)
                let id = try await OAuthRoutesTests.connect(harness, provider: provider, token: token, query: query)

                let tested = try await harness.request(.post, "/api/v1/integrations/connections/\(id)/test", token: token)
                XCTAssertEqual(tested.json["ok"], true, "\(provider): \(tested.text)")
                let connection = try await harness.request(.get, "/api/v1/integrations/connections/\(id)", token: token)
                let decoded = try connection.decode(Connection.self)
                XCTAssertEqual(decoded.status, .connected, "\(provider): \(connection.text)")
                XCTAssertNotNil(decoded.accountID, "\(provider): no account id to route webhooks by")

                let fields = try await ConnectionLifecycle(dependencies: harness.hub.dependencies).credentials.open(decoded, actor: "test").fields
                let deleted = try await harness.request(.delete, "/api/v1/integrations/connections/\(id)", token: token)
                XCTAssertEqual(deleted.status, .ok, "\(provider): \(deleted.text)")
                let audit = try await harness.request(.get, "/api/v1/integrations/audit-log", token: token)
                XCTAssertTrue(audit.text.contains(#""revoked":true"#), "\(provider): \(audit.text)")
                await Self.assertRevoked(harness, provider: provider, fields: fields)
            }
        }
    }

    func testShopifyCallbackAttacksAreRefusedAndStoreNothing() async throws {
        try await withServices { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let secret = SandboxConfiguration().secrets.shopifyClientSecret
            func genuineQuery() async throws -> [URLQueryItem] {
                let started = try await harness.request(
                    .get,
                    "/api/v1/integrations/oauth/shopify/authorize?shop_domain=hub-sandbox.myshopify.com",
                    token: token
                )
                let query = try await Self.approve(try XCTUnwrap(started.json["authorization_url"]?.stringValue, started.text))
                return try XCTUnwrap(URLComponents(string: "x:?" + query)?.queryItems)
            }
            func send(_ items: [URLQueryItem]) async throws -> String? {
                var components = URLComponents()
                components.queryItems = items
                let result = try await OAuthRoutesTests.callback(harness, provider: "shopify", query: components.percentEncodedQuery ?? "")
                return result.queryItems?.first { $0.name == "error" }?.value
            }
            // A tampered hmac.
            var tampered = try await genuineQuery()
            tampered = tampered.map { $0.name == "hmac" ? URLQueryItem(name: "hmac", value: String(repeating: "0", count: 64)) : $0 }
            let tamperedOutcome = try await send(tampered)
            XCTAssertEqual(tamperedOutcome, "invalid_callback")
            // Another shop, correctly signed: still not the shop the authorization named.
            var foreign = try await genuineQuery().map { $0.name == "shop" ? URLQueryItem(name: "shop", value: "evil-shop.myshopify.com") : $0 }
            let resigned = ShopifyCallbackHMAC.sign(foreign.map { ($0.name, $0.value ?? "") }, secret: secret)
            foreign = foreign.map { $0.name == "hmac" ? URLQueryItem(name: "hmac", value: resigned) : $0 }
            let foreignOutcome = try await send(foreign)
            XCTAssertEqual(foreignOutcome, "invalid_callback")
            // A shop that is not a myshopify.com domain at authorize time.
            let bad = try await harness.request(.get, "/api/v1/integrations/oauth/shopify/authorize?shop_domain=evil.example.com", token: token)
            XCTAssertEqual(bad.status, .unprocessableContent, bad.text)
            let repository = ConnectionRepository(client: harness.hub.dependencies.postgres, logger: harness.hub.dependencies.logger)
            let stored = try await repository.list(organization: org, filter: .init(), page: PageRequest())
            XCTAssertEqual(stored.count, 0, "a refused callback stored a connection")
        }
    }

    func testPayPalClientCredentialsConnectThroughConnectionService() async throws {
        try await withServices { harness in
            let client = try XCTUnwrap(SandboxConfiguration().secrets.oauthClients["paypal"])
            let token = try await harness.hub.token(organization: UUID())
            let created = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: token,
                json: #"{"provider":"paypal","credentials":{"client_id":"\#(client.id)","client_secret":"\#(client.secret)"}}"#
            )
            XCTAssertEqual(created.status, .created, created.text)
            let connection = try created.decode(Connection.self)
            XCTAssertEqual(connection.status, .connected, created.text)
            XCTAssertTrue(connection.credentialFields.contains("access_token"), "the token is cached with the connection")
            XCTAssertNotNil(connection.tokenExpiresAt)
            XCTAssertFalse(created.text.contains(client.secret))
            // The cached token is handed out until it expires: no new grant per request.
            let admin = SandboxAdmin(baseURL: harness.sandboxURL)
            let grants = try await admin.oauthStats("paypal")["client_credentials_grants"]?.intValue
            var handedOut: Set<String> = []
            for _ in 0..<3 {
                let reply = try await harness.request(
                    .get,
                    "/internal/connections/\(connection.id)/access-token?organization=\(connection.organizationID)",
                    token: harness.hub.internalToken
                )
                XCTAssertEqual(reply.status, .ok, reply.text)
                handedOut.insert(reply.json["access_token"]?.stringValue ?? "")
            }
            XCTAssertEqual(handedOut.count, 1)
            let after = try await admin.oauthStats("paypal")["client_credentials_grants"]?.intValue
            XCTAssertEqual(after, grants, "a cached token was not reused")

            let wrong = try await harness.request(
                .post,
                "/api/v1/integrations/connections",
                token: try await harness.hub.token(organization: UUID()),
                json: #"{"provider":"paypal","credentials":{"client_id":"\#(client.id)","client_secret":"wrong-secret"}}"#
            )
            XCTAssertEqual(try wrong.decode(Connection.self).status, .error, wrong.text)
        }
    }

    /// Follows the sandbox's authorize redirect (it approves at once): the callback's query.
    static func approve(_ url: String) async throws -> String {
        let client = HTTPClientWithoutRedirects.shared
        let location = try await client.location(of: url)
        return String(location[location.index(after: try XCTUnwrap(location.firstIndex(of: "?")))...])
    }
}
