import AsyncHTTPClient
import ConnectionService
import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ProviderSandbox
import ServiceLifecycle
import SyncWorker
import XCTest

/// A whole sync setup for one test, isolated from every other test: a fresh database and a Redis
/// server of its own (the job stream and locks are global names), the provider sandbox on a free
/// port, connection-service's routes in-process, and sync workers — in-process, or as real
/// `sync-worker` processes for the tests that kill one.
struct SyncHarness: Sendable {
    let service: ServiceHarness
    let database: TestDatabase
    var databaseURL: String { database.url.urlString }
    let redisURL: String
    /// The harness's own redis-server, to restart.
    let redisServer: RedisServerProcess
    let environment: [String: String]

    var hub: TestHub { service.hub }
    var sandbox: SandboxAdmin { SandboxAdmin(baseURL: service.sandboxURL) }
    var logger: Logger { hub.dependencies.logger }

    /// Fast settings for tests: short leases, quick take-over, small pages.
    static let quick: [String: String] = [
        "HUB_SYNC_PAGE_SIZE": "10", "HUB_SYNC_LOCK_TTL_SECONDS": "3", "HUB_SYNC_CLAIM_IDLE_SECONDS": "3",
        "HUB_SYNC_SCHEDULER_INTERVAL_SECONDS": "1", "HUB_SYNC_REPUBLISH_AFTER_SECONDS": "5",
        "HUB_PROVIDER_STRIPE_RATE_LIMIT": "1000/1000", "HUB_PROVIDER_SHOPIFY_RATE_LIMIT": "1000/1000",
        "HUB_PROVIDER_PLAID_RATE_LIMIT": "1000/1000",
        "HUB_PROVIDER_PLAID_CLIENT_ID": "plaid-sandbox-client", "HUB_PROVIDER_PLAID_CLIENT_SECRET": "plaid-sandbox-secret",
    ]

    static let shop = "hub-sandbox.myshopify.com"

    static func run(
        volume: Int = 25,
        environment: [String: String] = [:],
        _ body: @Sendable (SyncHarness) async throws -> Void
    ) async throws {
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.volume = volume
        let sandbox = ProviderSandbox(configuration: sandboxConfiguration)
        try await TestDatabase.withOwnStores(prefix: "hub_sync") { database, redis in
            try await sandbox.buildApplication(logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
                .test(.live) { sandboxClient in
                    let port = sandboxClient.port!
                    var overrides = Self.quick.merging(environment) { _, new in new }
                    overrides["HUB_PROVIDER_SANDBOX_URL"] = "http://127.0.0.1:\(port)"
                    // oauth-service alone holds the client secrets (Plaid's calls and Shopify's and
                    // HubSpot's webhook checks go through it): one runs beside the services unless the
                    // test brings its own.
                    let oauthPort = environment["HUB_SERVICE_URL_OAUTH"] == nil ? try freePort() : nil
                    if let oauthPort { overrides["HUB_SERVICE_URL_OAUTH"] = "http://127.0.0.1:\(oauthPort)" }
                    overrides["HUB_VAULT_KEYS"] = VaultKeyRing.generateEntry(id: "sync")
                    let settings = overrides
                    let hub = try await TestHub.make(service: .connection, database: database.url, redisURL: redis.url, environment: settings)
                    let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: try ConnectionService.openAPI()) {
                        ConnectionService.addRoutes(to: $0, dependencies: hub.dependencies)
                    }
                    let app = Application(router: router, services: [hub.dependencies.postgres, hub.dependencies.redis])
                    try await app.test(.router) { client in
                        try await Migrator(client: hub.dependencies.postgres, logger: hub.dependencies.logger).migrate(Migration.bundled())
                        var childEnvironment = settings
                        childEnvironment["DATABASE_URL"] = database.url.urlString
                        childEnvironment["REDIS_URL"] = redis.url
                        childEnvironment["HUB_JWT_HS256_SECRET"] = hub.hs256Secret
                        childEnvironment["HUB_INTERNAL_TOKEN"] = hub.internalToken
                        childEnvironment["HUB_LOG_FORMAT"] = "text"
                        let harness = SyncHarness(
                            service: ServiceHarness(hub: hub, sandboxPort: port, client: client),
                            database: database,
                            redisURL: redis.url,
                            redisServer: redis,
                            environment: childEnvironment
                        )
                        guard let oauthPort else { return try await body(harness) }
                        var oauthEnvironment = childEnvironment
                        oauthEnvironment["HUB_PROVIDER_SHOPIFY_CLIENT_ID"] = SandboxConfiguration().secrets.shopifyClientID
                        oauthEnvironment["HUB_PROVIDER_SHOPIFY_CLIENT_SECRET"] = SandboxConfiguration().secrets.shopifyClientSecret
                        if let hubspot = SandboxConfiguration().secrets.oauthClients["hubspot"] {
                            oauthEnvironment["HUB_PROVIDER_HUBSPOT_CLIENT_ID"] = hubspot.id
                            oauthEnvironment["HUB_PROVIDER_HUBSPOT_CLIENT_SECRET"] = hubspot.secret
                        }
                        try await LiveOAuthService.run(port: oauthPort, environment: oauthEnvironment, sandboxPort: port) { _ in
                            try await body(harness)
                        }
                    }
                }
        }
    }

    // MARK: Workers

    /// Runs `body` while `count` workers run in this process (each with its own name).
    func withWorkers(_ count: Int = 1, _ body: @Sendable () async throws -> Void) async throws {
        let services = (0..<count).flatMap { index in
            SyncWorker.backgroundServices(hub.dependencies, name: "test-worker-\(index)")
        }
        try await Self.running(services, body)
    }

    /// Runs `body` while `services` run, then shuts them down gracefully.
    static func running(_ services: [any Service], _ body: @Sendable () async throws -> Void) async throws {
        var loggers = Logger(label: "sync-worker")
        loggers.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: loggers))
        let running = Task { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = await running.result
    }

    /// A real `sync-worker` process (not started yet).
    func workerProcess(_ extra: [String: String] = [:]) throws -> ChildProcess {
        var environment = self.environment.merging(extra) { _, new in new }
        environment["HUB_PORT"] = String(try freePort())
        return try ChildProcess("sync-worker", environment: environment)
    }

    /// Waits until a worker has made the job stream's consumer group (its first step on start;
    /// it sends every unfinished job again there), for at most `timeout`.
    func waitForJobStreamGroup(timeout: Duration = .seconds(10)) async throws {
        let made = try await waitUntil(upTo: timeout, every: .milliseconds(50)) {
            // XINFO fails while the stream does not exist yet.
            guard case .array(let groups)? = try? await hub.dependencies.redis.send(["XINFO", "GROUPS", .string(SyncJobStream.name)])
            else { return false }
            return !groups.isEmpty
        }
        guard made else { throw Failure(description: "no worker made the job stream's group within \(timeout)") }
    }

    /// A step of the harness's that did not do what it must (thrown, so XCTest and Swift Testing
    /// tests both fail on it).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    // MARK: API

    func request(_ method: HTTPRequest.Method, _ uri: String, token: String, json: String? = nil) async throws -> ServiceHarness.Reply {
        try await service.request(method, uri, token: token, json: json)
    }

    /// Sets an entity's sync configuration (`PUT …/sync-configs/{entity}`), which must succeed.
    func putSyncConfig(_ token: String, connection: String, entity: String, json: String) async throws {
        let reply = try await request(.put, "/api/v1/integrations/connections/\(connection)/sync-configs/\(entity)", token: token, json: json)
        guard reply.status == .ok else { throw Failure(description: "PUT sync-configs/\(entity): \(reply.status) \(reply.text)") }
    }

    /// Syncs an entity every hour (its first run an hour from now).
    func scheduleHourly(_ token: String, connection: String, entity: String) async throws {
        try await putSyncConfig(token, connection: connection, entity: entity, json: #"{"schedule":"interval","interval_seconds":3600}"#)
    }

    /// Connects a provider through the API and returns the connection id.
    func connect(_ token: String, provider: String, credentials: String) async throws -> String {
        let created = try await request(
            .post,
            "/api/v1/integrations/connections",
            token: token,
            json: #"{"provider":"\#(provider)","credentials":\#(credentials)}"#
        )
        XCTAssertEqual(created.status, .created, created.text)
        return try XCTUnwrap(created.json["id"]?.stringValue, created.text)
    }

    func connectStripe(_ token: String) async throws -> String {
        try await connect(token, provider: "stripe", credentials: #"{"api_key":"sk_test_sandbox"}"#)
    }

    /// Stores an OAuth or Link connection directly (those flows have tests of their own).
    func connectDirectly(organization: UUID, provider: String, fields: [String: String]) async throws -> String {
        let lifecycle = ConnectionLifecycle(dependencies: hub.dependencies)
        let connection = try await lifecycle.connect(
            .init(organizationID: organization, subject: "test", requestID: nil),
            provider: provider,
            name: nil,
            settings: [:],
            fields: SecretFields(fields)
        )
        XCTAssertEqual(connection.status, .connected, connection.statusReason ?? "")
        return connection.id.uuidString.lowercased()
    }

    func connectShopify(organization: UUID) async throws -> String {
        try await connectDirectly(
            organization: organization,
            provider: "shopify",
            fields: ["shop_domain": Self.shop, "access_token": "shpat_sandbox"]
        )
    }

    /// Links a new Plaid item (the sandbox's shortcut past the Link UI) and connects it; returns
    /// the connection, the item id and the item's credential fields.
    func connectPlaid(organization: UUID) async throws -> (connection: String, item: String, fields: [String: String]) {
        let factory = ConnectionLifecycle(dependencies: hub.dependencies).factory
        let linking = try XCTUnwrap(factory.connector(provider: "plaid", credentials: [:]) as? PlaidConnector)
        let (accessToken, itemID) = try await linking.exchangePublicToken(try await linking.sandboxPublicToken())
        let fields = ["access_token": accessToken, "item_id": itemID]
        let connection = try await connectDirectly(organization: organization, provider: "plaid", fields: fields)
        return (connection, itemID, fields)
    }

    /// Every record of an entity as the connector lists it straight from the sandbox (no worker,
    /// no store): what a full pull must have stored.
    func directListing(provider: String, fields: [String: String], entity: String) async throws -> [String: JSONValue] {
        let factory = ConnectionLifecycle(dependencies: hub.dependencies).factory
        let connector = try XCTUnwrap(factory.connector(provider: provider, credentials: fields) as? any DataConnector)
        var records: [String: JSONValue] = [:]
        var cursor: String?
        repeat {
            let page = try await connector.list(ListRequest(entity: entity, cursor: cursor, pageSize: 100))
            for record in page.records { records[record.externalID] = record.payload }
            cursor = page.nextCursor
        } while cursor != nil
        return records
    }

    /// Triggers a sync of one entity and waits for it to complete.
    @discardableResult
    func sync(_ token: String, connection: String, entity: String, fullResync: Bool = false) async throws -> JSONValue {
        let job = try await trigger(token, connection: connection, json: #"{"entity":"\#(entity)","full_resync":\#(fullResync)}"#)
        let done = try await waitForJob(token, try XCTUnwrap(job["id"]?.stringValue, "\(job)"))
        XCTAssertEqual(done["status"]?.stringValue, "completed", "\(entity): \(done)")
        return done
    }

    /// Triggers a sync and returns the job's JSON.
    func trigger(_ token: String, connection: String, json: String) async throws -> JSONValue {
        let reply = try await request(.post, "/api/v1/integrations/connections/\(connection)/sync", token: token, json: json)
        XCTAssertEqual(reply.status, .accepted, reply.text)
        return reply.json["data"]?.arrayValue?.first ?? .null
    }

    /// Connects Stripe with every call slowed by 60 ms, so a 200-record pull (20 pages) lasts long
    /// enough to act on mid-job.
    func connectSlowStripe(_ token: String) async throws -> String {
        let connection = try await connectStripe(token)
        _ = try await sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"latency_ms":60}"#)
        return connection
    }

    /// Polls the job until it has saved at least `pages` pages and returns it.
    func waitForPages(_ token: String, _ id: String, atLeast pages: Int, timeout: Duration = .seconds(60)) async throws -> JSONValue {
        var job: JSONValue = .null
        _ = try await waitUntil(upTo: timeout) {
            job = try await request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
            return (job["pages"]?.intValue ?? 0) >= pages
        }
        XCTAssertGreaterThanOrEqual(job["pages"]?.intValue ?? 0, pages, "\(job)")
        return job
    }

    /// Polls the job until it has finished (or `timeout` passes) and returns it.
    func waitForJob(_ token: String, _ id: String, timeout: Duration = .seconds(60)) async throws -> JSONValue {
        var job: JSONValue = .null
        let finished = try await waitUntil(upTo: timeout, every: .milliseconds(100)) {
            job = try await request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
            return job["status"]?.stringValue.map { !["queued", "running"].contains($0) } ?? false
        }
        if !finished { XCTFail("job \(id) did not finish in time: \(job)") }
        return job
    }

    // MARK: The store

    /// The stored live records of a connection and entity: external id → payload.
    func storedRecords(connection: String, entity: String) async throws -> [String: JSONValue] {
        let rows = try await hub.dependencies.postgres.query(
            """
            SELECT external_id, payload::text FROM sync_records
            WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = \(entity) AND deleted_at IS NULL
            """,
            logger: logger
        )
        var records: [String: JSONValue] = [:]
        for try await (id, payload) in rows.decode((String, String).self) {
            XCTAssertNil(records[id], "duplicate record \(id)")
            records[id] = try JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))
        }
        return records
    }

    /// How many rows (deleted or not) the store holds for a connection and entity.
    func rowCount(connection: String, entity: String) async throws -> Int {
        let rows = try await hub.dependencies.postgres.query(
            "SELECT count(*)::int FROM sync_records WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = \(entity)",
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// How many seen marks of full resyncs the database holds (`sync_seen`).
    func seenMarkCount() async throws -> Int {
        let rows = try await hub.dependencies.postgres.query("SELECT count(*)::int FROM sync_seen", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// A Stripe API call to the sandbox (form-encoded, as Stripe takes writes).
    @discardableResult
    func stripe(_ method: HTTPMethod, _ path: String, form: String? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: service.sandboxURL + "/stripe/v1/" + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer sk_test_sandbox")
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 16 << 20)
        XCTAssertLessThan(response.status.code, 300, String(buffer: body))
        return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
    }

    /// Every object of a Stripe list endpoint, as the sandbox serves it: id → object.
    func stripeObjects(_ path: String) async throws -> [String: JSONValue] {
        var objects: [String: JSONValue] = [:]
        var after: String?
        repeat {
            let query = "?limit=100" + (after.map { "&starting_after=\($0)" } ?? "")
            let page = try await sandbox.send(.GET, "/stripe/v1/\(path)\(query)", headers: ["Authorization": "Bearer sk_test_sandbox"]).json
            let items = page["data"]?.arrayValue ?? []
            for item in items { if let id = item["id"]?.stringValue { objects[id] = item } }
            after = page["has_more"]?.boolValue == true ? items.last?["id"]?.stringValue : nil
        } while after != nil
        return objects
    }
}
