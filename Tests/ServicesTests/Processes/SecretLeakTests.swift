import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ProviderSandbox
import XCTest

/// Known secret values go in through the real connection-service process (trace logging on) and
/// are looked for everywhere they could leak: its logs, every API response, and a dump of the
/// tables that hold connection data. None may appear.
final class SecretLeakTests: XCTestCase {
    func testKnownSecretsAppearInNoLogResponseOrColumn() async throws {
        let goodKey = "sk_test_sandbox"
        let canary = "sk_test_LeakCanary4242424242"
        let jwtSecret = TestHub.randomToken()
        let hub = try await TestHub.make(service: .connection, environment: ["HUB_JWT_HS256_SECRET": jwtSecret])
        let postgres = hub.dependencies.postgres
        let runner = Task { await postgres.run() }
        defer { runner.cancel() }
        var sandboxConfiguration = SandboxConfiguration()
        sandboxConfiguration.volume = 3
        let sandbox = ProviderSandbox(configuration: sandboxConfiguration)
        try await sandbox.buildApplication(logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() })).test(.live) {
            sandboxClient in
            let port = try freePort()
            let child = try ChildProcess(
                "connection-service",
                environment: [
                    "DATABASE_URL": try TestEnvironment.databaseURL, "REDIS_URL": try TestEnvironment.redisURL,
                    "HUB_JWT_HS256_SECRET": jwtSecret, "HUB_INTERNAL_TOKEN": TestHub.randomToken(),
                    "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "leak"), "HUB_PORT": String(port), "HUB_LOG_LEVEL": "trace",
                    "HUB_PROVIDER_SANDBOX_URL": "http://127.0.0.1:\(sandboxClient.port!)",
                ]
            )
            try child.start()
            defer { child.kill() }
            let base = "http://127.0.0.1:\(port)"
            let ready = try await ServiceProcessTests.waitUntilReady(base + "/readyz", while: child)
            XCTAssertTrue(ready, child.outputText)
            guard ready else { return }

            var responses = ""
            func call(_ method: HTTPMethod, _ path: String, token: String, json: String? = nil) async throws -> JSONValue {
                var request = HTTPClientRequest(url: base + path)
                request.method = method
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                if let json {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: json))
                }
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let body = String(buffer: try await response.body.collect(upTo: 4 << 20))
                responses += "\(response.status.code) \(response.headers) \(body)\n"
                return (try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8))) ?? .null
            }

            let aliceOrganization = UUID()
            let alice = try await hub.token(organization: aliceOrganization, subject: "alice")
            let mallory = try await hub.token(organization: UUID(), subject: "mallory")
            let created = try await call(
                .POST,
                "/api/v1/integrations/connections",
                token: alice,
                json: #"{"provider":"stripe","credentials":{"api_key":"\#(goodKey)"}}"#
            )
            let id = try XCTUnwrap(created["id"]?.stringValue, "\(created)")
            _ = try await call(.PATCH, "/api/v1/integrations/connections/\(id)", token: alice, json: #"{"credentials":{"api_key":"\#(canary)"}}"#)
            _ = try await call(.POST, "/api/v1/integrations/connections/\(id)/test", token: alice)
            _ = try await call(.GET, "/api/v1/integrations/connections/\(id)", token: alice)
            _ = try await call(.PATCH, "/api/v1/integrations/connections/\(id)", token: alice, json: #"{"credentials":{"api_key":"\#(goodKey)"}}"#)
            _ = try await call(.GET, "/api/v1/integrations/connections", token: alice)
            _ = try await call(
                .POST,
                "/api/v1/integrations/connections",
                token: mallory,
                json: #"{"provider":"stripe","credentials":{"api_key":"\#(canary)"}}"#
            )
            _ = try await call(
                .POST,
                "/api/v1/integrations/connections",
                token: mallory,
                json: #"{"provider":"stripe","credentials":{"api_key":"\#(canary)","x":"y"}}"#
            )
            _ = try await call(.GET, "/api/v1/integrations/audit-log?limit=200", token: alice)
            // A Zapier key: used for an action, then revoked and presented again.
            let zapierKeys = ZapierKeyStore(client: postgres, logger: hub.dependencies.logger)
            let zapierKey = try await zapierKeys.create(
                by: AuditActor(organizationID: aliceOrganization, subject: "test", requestID: nil),
                organizationName: "Alice Ltd",
                name: nil
            )
            let action = #"{"connection_id":"\#(id)","fields":{"name":"From a Zap"}}"#
            let acted = try await call(.POST, "/api/v1/integrations/zapier/actions/customers", token: zapierKey.apiKey, json: action)
            XCTAssertNotNil(acted["id"]?.stringValue, "\(acted)")
            let revoked = try await zapierKeys.revoke(
                by: AuditActor(organizationID: aliceOrganization, subject: "test", requestID: nil),
                id: zapierKey.key.id
            ) { _ in 0 }
            XCTAssertTrue(revoked)
            let refused = try await call(.POST, "/api/v1/integrations/zapier/actions/customers", token: zapierKey.apiKey, json: action)
            XCTAssertEqual(refused["error"]?["code"]?.stringValue, "unauthorized")
            _ = try await call(.DELETE, "/api/v1/integrations/connections/\(id)", token: alice)

            let dump = try await PostgresClientHandle(hub: hub).dump(tables: [
                "connections", "connection_status_history", "audit_log", "zapier_api_keys",
            ])
            child.terminate()
            _ = await child.wait()
            let logs = child.outputText
            XCTAssertTrue(logs.contains("/api/v1/integrations/connections"), "trace logs should show the requests:\n\(logs.suffix(2000))")
            XCTAssertTrue(responses.contains("credentials_replaced") || responses.contains("connection.credentials_replaced"), responses)
            for secret in [goodKey, canary, zapierKey.apiKey] {
                XCTAssertFalse(logs.contains(secret), "\(secret) leaked into the service's logs")
                XCTAssertFalse(responses.contains(secret), "\(secret) leaked into an API response")
                XCTAssertFalse(dump.contains(secret), "\(secret) leaked into a database column")
            }
        }
    }
}
