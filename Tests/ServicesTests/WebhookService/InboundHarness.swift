import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import PostgresNIO
import ProviderSandbox
import ServiceLifecycle
import WebhookService
import XCTest

/// webhook-service listening on a real port beside a `SyncHarness` (same database, Redis and
/// vault keys), so the provider sandbox delivers its signed webhooks to it as a provider would.
struct InboundHarness: Sendable {
    let sync: SyncHarness
    let webhookHub: TestHub
    let baseURL: String

    /// - Parameter consumeHubEvents: whether webhook-service also reads the hub's event stream
    ///   (what the sync workers' outbox relay writes).
    static func run(
        volume: Int = 5,
        environment extra: [String: String] = [:],
        consumeHubEvents: Bool = false,
        _ body: @Sendable (InboundHarness) async throws -> Void
    ) async throws {
        try await SyncHarness.run(volume: volume, environment: extra) { sync in
            var environment = sync.environment.merging(WebhookHarness.testEnvironment) { _, new in new }
            environment["HUB_PROVIDER_SHOPIFY_CLIENT_ID"] = "shopify-sandbox-client"
            environment["HUB_PROVIDER_SHOPIFY_CLIENT_SECRET"] = "shopify-sandbox-secret"
            environment["HUB_PROVIDER_QUICKBOOKS_WEBHOOK_SECRET"] = QuickBooksSandbox.verifierToken
            environment["HUB_PROVIDER_XERO_WEBHOOK_SECRET"] = "xero-sandbox-webhook-key"
            // HubSpot signs with the app's client secret too: webhook-service knows the client id
            // only and asks oauth-service (which the sync harness runs) to check the signatures.
            environment["HUB_PROVIDER_HUBSPOT_CLIENT_ID"] = "hubspot-sandbox-client"
            let (hub, components, router) = try await webhookService(environment: environment)
            let services: [any Service] =
                [hub.dependencies.postgres, hub.dependencies.redis] + components.backgroundServices(consumeHubEvents: consumeHubEvents)
            let app = Application(router: router, services: services)
            try await app.test(.live) { client in
                try await body(InboundHarness(sync: sync, webhookHub: hub, baseURL: "http://127.0.0.1:\(client.port!)"))
            }
        }
    }

    /// webhook-service's hub (migrations done by the sync harness), components and routes.
    static func webhookService(
        environment: [String: String]
    ) async throws -> (hub: TestHub, components: WebhookComponents, router: Router<HubRequestContext>) {
        let hub = try await TestHub.make(service: .webhook, environment: environment)
        hub.dependencies.readiness.markMigrated()  // for /readyz: this harness migrated, not HubApplication
        let components = try WebhookComponents(dependencies: hub.dependencies)
        let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: WebhookService.openAPI()) {
            WebhookService.addRoutes(to: $0, components: components)
        }
        return (hub, components, router)
    }

    var postgres: PostgresClient { sync.hub.dependencies.postgres }

    /// Points the sandbox's webhooks for `provider` at the hub.
    func register(_ provider: String, path: String) async throws {
        let reply = try await sync.sandbox.send(.PUT, "/_admin/webhooks/\(provider)", json: #"{"url":"\#(baseURL)\#(path)"}"#)
        XCTAssertEqual(reply.status, 200, reply.text)
    }

    /// Connects Stripe with the sandbox's endpoint secret, syncs customers, and points the
    /// sandbox's Stripe webhooks at the connection's endpoint.
    func connectStripeWithWebhooks(_ token: String) async throws -> String {
        let connection = try await sync.connect(
            token,
            provider: "stripe",
            credentials: #"{"api_key":"sk_test_sandbox","webhook_secret":"whsec_sandbox_stripe"}"#
        )
        try await enable(token, connection: connection, entity: "customers")
        try await register("stripe", path: "/webhooks/stripe/\(connection)")
        return connection
    }

    /// Enables pulls of an entity (no schedule: webhooks alone keep it current).
    func enable(_ token: String, connection: String, entity: String) async throws {
        let put = try await sync.request(
            .put,
            "/api/v1/integrations/connections/\(connection)/sync-configs/\(entity)",
            token: token,
            json: #"{"direction":"pull","schedule":"realtime"}"#
        )
        XCTAssertEqual(put.status, .ok, put.text)
    }

    /// Posts a webhook to the hub as a provider would.
    func post(_ path: String, body: [UInt8], headers: HTTPHeaders) async throws -> (status: Int, json: JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .null)
    }

    /// A GET on webhook-service's API with a user token (or none).
    func api(_ token: String?, _ path: String) async throws -> (status: Int, json: JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: bytes))) ?? .null)
    }

    /// What the sandbox sent for a provider: the URL, the hub's status, the body.
    func sent(_ provider: String) async throws -> [JSONValue] {
        try await sync.sandbox.send(.GET, "/_admin/webhooks/\(provider)").json.arrayValue ?? []
    }

    /// The stored inbound events of a connection: (event type, status, outcome), oldest first.
    func inbound(connection: String) async throws -> [(type: String, status: String, outcome: String?)] {
        let rows = try await postgres.query(
            """
            SELECT event_type, status, outcome FROM inbound_events WHERE connection_id = \(UUID(uuidString: connection)!)
            ORDER BY received_at, id
            """,
            logger: sync.logger
        )
        var events: [(type: String, status: String, outcome: String?)] = []
        for try await (type, status, outcome) in rows.decode((String, String, String?).self) { events.append((type, status, outcome)) }
        return events
    }

    /// Waits until every stored event of the connection was processed (none left `received`).
    @discardableResult
    func waitForProcessing(
        connection: String,
        count: Int,
        timeout: Duration = .seconds(20)
    ) async throws -> [(type: String, status: String, outcome: String?)] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let events = try await inbound(connection: connection)
            if events.count >= count, !events.contains(where: { $0.status == "received" }) { return events }
            if ContinuousClock.now > deadline {
                XCTFail("inbound events not processed in time: \(events)")
                return events
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The hub events accepted for an organization, oldest first: (type, data).
    func hubEvents(organization: UUID) async throws -> [(type: String, data: JSONValue)] {
        let rows = try await postgres.query(
            "SELECT type, payload::text FROM webhook_events WHERE org_id = \(organization) ORDER BY created_at, id",
            logger: sync.logger
        )
        var events: [(type: String, data: JSONValue)] = []
        for try await (type, payload) in rows.decode((String, String).self) {
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))
            events.append((type, body["data"] ?? .null))
        }
        return events
    }

    /// The canonical fields of a stored record (deleted ones too), by external id.
    func stored(connection: String, entity: String, externalID: String) async throws -> (canonical: JSONValue, deleted: Bool)? {
        let rows = try await postgres.query(
            """
            SELECT canonical::text, deleted_at IS NOT NULL FROM sync_records
            WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = \(entity) AND external_id = \(externalID)
            """,
            logger: sync.logger
        )
        for try await (canonical, deleted) in rows.decode((String, Bool).self) {
            return (try JSONDecoder().decode(JSONValue.self, from: Data(canonical.utf8)), deleted)
        }
        return nil
    }
}
