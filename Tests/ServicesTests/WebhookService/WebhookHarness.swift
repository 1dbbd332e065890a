import Foundation
import HubCore
import HubTestSupport
import HubWebhooks
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ServiceLifecycle
import WebhookService

/// webhook-service's routes and delivery workers on a database of their own (so no other test's
/// worker claims these deliveries), with a compressed retry schedule and loopback allowed.
struct WebhookHarness: Sendable {
    let hub: TestHub
    let client: any TestClientProtocol
    let components: WebhookComponents

    /// The settings every webhook test runs with unless it overrides them.
    static let testEnvironment = [
        "HUB_WEBHOOK_ALLOW_HTTP": "true",
        "HUB_WEBHOOK_ALLOWED_TARGETS": "127.0.0.1",
        "HUB_WEBHOOK_RETRY_SCHEDULE": "0.2,0.4",
        "HUB_WEBHOOK_RETRY_JITTER": "0",
        "HUB_WEBHOOK_TIMEOUT_MS": "10000",  // the receivers run in the loaded test process: no timeout by accident
        "HUB_WEBHOOK_POLL_INTERVAL_MS": "50",
    ]

    static func run(
        environment: [String: String] = [:],
        resolver: any HostResolver = SystemHostResolver(),
        redisURL: String? = nil,
        consumeHubEvents: Bool = false,
        workers: Int = 1,
        testing: TestingSetup = .router,
        _ body: @Sendable (WebhookHarness) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create(prefix: "hub_wh")
        do {
            var settings = testEnvironment
            settings.merge(environment) { _, new in new }
            let hub = try await TestHub.make(service: .webhook, database: database.url, redisURL: redisURL, environment: settings)
            try await TestDatabase.withClient(database.url) { client in
                try await Migrator(client: client, logger: Logger(label: "migrate")).migrate(Migration.bundled())
            }
            hub.dependencies.readiness.markMigrated()  // for /readyz: this harness migrated, not HubApplication
            let components = try WebhookComponents(dependencies: hub.dependencies, resolver: resolver)
            let router = try HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: WebhookService.openAPI()) {
                WebhookService.addRoutes(to: $0, components: components)
            }
            // `workers` delivery workers on one database: what as many replicas would run.
            var services: [any Service] = [hub.dependencies.postgres, hub.dependencies.redis]
            for index in 0..<workers {
                services += try WebhookComponents(dependencies: hub.dependencies, resolver: resolver, wakeup: components.wakeup)
                    .backgroundServices(name: "worker-\(index)", consumeHubEvents: consumeHubEvents && index == 0)
            }
            let app = Application(router: router, services: services)
            // `.live` when another process-like client (the console's HubAPI) must reach it on a port.
            try await app.test(testing) { client in
                try await body(WebhookHarness(hub: hub, client: client, components: components))
            }
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    // MARK: Requests

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var data: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    }

    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, body: Data(buffer: response.body))
    }

    static let subscriptions = "/api/v1/integrations/webhooks/subscriptions"

    /// Creates a subscription; returns its id and secret.
    func subscribe(_ url: String, types: [String] = ["*"], token: String) async throws -> (id: String, secret: String) {
        let body = try JSONSerialization.data(withJSONObject: ["url": url, "event_types": types])
        let reply = try await request(.post, Self.subscriptions, token: token, json: String(decoding: body, as: UTF8.self))
        guard reply.status == .created, let id = reply.json["id"] as? String, let secret = reply.json["secret"] as? String else {
            throw HarnessError.unexpected("subscribe: \(reply.status) \(reply.text)")
        }
        return (id, secret)
    }

    /// Publishes an event; returns the answer's JSON.
    @discardableResult
    func publish(_ type: String, data: [String: Any] = [:], key: String? = nil, token: String) async throws -> Reply {
        var object: [String: Any] = ["type": type, "data": data]
        if let key { object["idempotency_key"] = key }
        let body = try JSONSerialization.data(withJSONObject: object)
        return try await request(.post, "/api/v1/integrations/events", token: token, json: String(decoding: body, as: UTF8.self))
    }

    func deliveries(_ subscription: String, query: String = "", token: String) async throws -> [[String: Any]] {
        try await request(.get, "\(Self.subscriptions)/\(subscription)/deliveries\(query)", token: token).data
    }

    /// Polls the delivery log until `condition` holds.
    func waitForDeliveries(
        _ subscription: String,
        token: String,
        timeout: Duration = .seconds(20),
        until condition: ([[String: Any]]) -> Bool
    ) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        var last: [[String: Any]] = []
        while ContinuousClock.now < deadline {
            last = try await deliveries(subscription, token: token)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError.unexpected("deliveries never reached the expected state: \(last)")
    }

    enum HarnessError: Error, CustomStringConvertible {
        case unexpected(String)
        var description: String {
            switch self {
            case .unexpected(let text): text
            }
        }
    }
}
