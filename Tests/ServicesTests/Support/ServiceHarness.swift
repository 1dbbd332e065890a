import Foundation
import HubConnections
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ProviderSandbox

/// A service's routes with real PostgreSQL and Redis, pointed at a provider sandbox listening on
/// a free loopback port for one test (every provider of the standard sandbox mounted).
struct ServiceHarness: Sendable {
    let hub: TestHub
    let sandboxPort: Int
    let client: any TestClientProtocol

    var sandboxURL: String { "http://127.0.0.1:\(sandboxPort)" }
    var postgres: PostgresClientHandle { PostgresClientHandle(hub: hub) }

    /// Runs `body` with the sandbox live and the service's router under test.
    static func run(
        service: HubServiceKind,
        environment: [String: String] = [:],
        addRoutes: @escaping @Sendable (HubRoutes, HubDependencies) -> Void,
        openAPI: OpenAPIDocument,
        _ body: @Sendable (ServiceHarness) async throws -> Void
    ) async throws {
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.volume = 5
        let sandbox = ProviderSandbox(configuration: sandboxConfiguration)
        try await sandbox.buildApplication(logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
            .test(.live) { sandboxClient in
                let port = sandboxClient.port!
                var overrides = environment
                overrides["HUB_PROVIDER_SANDBOX_URL"] = "http://127.0.0.1:\(port)"
                let hub = try await TestHub.make(service: service, environment: overrides)
                let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: openAPI) {
                    addRoutes($0, hub.dependencies)
                }
                let app = Application(router: router, services: [hub.dependencies.postgres, hub.dependencies.redis])
                try await app.test(.router) { client in
                    try await Migrator(client: hub.dependencies.postgres, logger: hub.dependencies.logger).migrate(Migration.bundled())
                    try await body(ServiceHarness(hub: hub, sandboxPort: port, client: client))
                }
            }
    }

    // MARK: Requests

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue { (try? JSONDecoder.hub.decode(JSONValue.self, from: body)) ?? .null }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder.hub.decode(type, from: body)
        }
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
        let response = try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        )
        return Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
    }
}

/// Direct SQL for assertions a route cannot show (ciphertexts, row dumps).
struct PostgresClientHandle: Sendable {
    let hub: TestHub

    /// Every row of the tables as JSON text: what a database dump would contain.
    func dump(tables: [String]) async throws -> String {
        var text = ""
        for table in tables {
            let rows = try await hub.dependencies.postgres.query(
                "SELECT coalesce(json_agg(t)::text, '') FROM \(unescaped: table) t",
                logger: hub.dependencies.logger
            )
            for try await row in rows.decode(String.self) { text += row + "\n" }
        }
        return text
    }

    /// The organization's audit entries, oldest first: action, actor, resource id and details.
    func audit(organization: UUID) async throws -> [(action: String, actor: String, resourceID: String?, details: JSONValue)] {
        let rows = try await hub.dependencies.postgres.query(
            "SELECT action, actor, resource_id, details FROM audit_log WHERE org_id = \(organization) ORDER BY id",
            logger: hub.dependencies.logger
        )
        var entries: [(action: String, actor: String, resourceID: String?, details: JSONValue)] = []
        for try await (action, actor, resourceID, details) in rows.decode((String, String, String?, JSONValue).self) {
            entries.append((action, actor, resourceID, details))
        }
        return entries
    }
}
