import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import NIOCore
import XCTest

/// The real executables: each boots against the test PostgreSQL and Redis, migrates, serves its
/// operational routes, and exits cleanly on SIGTERM.
final class ServiceProcessTests: XCTestCase {
    func testEveryServiceBootsServesOperationalRoutesAndStopsOnSIGTERM() async throws {
        let secret = TestHub.randomToken()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in HubServiceKind.allCases {
                group.addTask {
                    try await Self.exercise(service, secret: secret)
                }
            }
            try await group.waitForAll()
        }
    }

    func testServicesHoldingSecretsRefuseToStartWithoutAVaultKey() async throws {
        for service in [HubServiceKind.connection, .oauth] {
            let (status, output) = try await ChildProcess.run(
                service.rawValue,
                environment: [
                    "DATABASE_URL": try TestEnvironment.databaseURL, "REDIS_URL": try TestEnvironment.redisURL,
                    "HUB_JWT_HS256_SECRET": TestHub.randomToken(), "HUB_INTERNAL_TOKEN": TestHub.randomToken(),
                    "HUB_PORT": String(try freePort()),
                ]
            )
            XCTAssertEqual(status, 78, "\(service.rawValue) started without a vault key:\n\(output)")
            XCTAssertTrue(output.contains("HUB_VAULT_KEYS is required"), output)
        }
    }

    static func exercise(_ service: HubServiceKind, secret: String) async throws {
        let port = try freePort()
        var environment = environment(
            database: try TestEnvironment.databaseURL,
            redis: try TestEnvironment.redisURL,
            port: port,
            secret: secret
        )
        environment["HUB_LOG_LEVEL"] = "info"
        let child = try ChildProcess(service.rawValue, environment: environment)
        try child.start()
        let base = "http://127.0.0.1:\(port)"
        let ready = try await waitUntilReady("\(base)/readyz", while: child)
        XCTAssertTrue(ready, "\(service.rawValue) never became ready:\n\(child.outputText)")
        guard ready else { return }

        let health = try await get("\(base)/healthz")
        XCTAssertEqual(health.status, 200)
        let openAPI = try await get("\(base)/openapi.json")
        XCTAssertEqual(openAPI.status, 200)
        XCTAssertTrue(openAPI.body.contains(#""openapi""#), service.rawValue)
        XCTAssertTrue(openAPI.body.contains("\"title\": \"\(service.rawValue)\""), service.rawValue)
        let metrics = try await get("\(base)/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.body.contains("hb_requests"), "\(service.rawValue) metrics:\n\(metrics.body)")
        XCTAssertTrue(metrics.body.contains("http_server_request_duration"), service.rawValue)
        XCTAssertTrue(metrics.body.contains("hub_service_info{service=\"\(service.rawValue)\"} 1"), service.rawValue)
        XCTAssertTrue(metrics.body.contains("hub_dependency_up{dependency=\"redis\"} 1"), service.rawValue)

        // Logs are one JSON object per line, and request lines carry the request id.
        let lines = child.outputText.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertFalse(lines.isEmpty, service.rawValue)
        for line in lines {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
        XCTAssertFalse(child.outputText.contains(secret), "\(service.rawValue) logged the JWT secret")

        child.terminate()
        let status = await child.wait()
        XCTAssertEqual(status, 0, "\(service.rawValue) did not stop cleanly on SIGTERM:\n\(child.outputText)")
    }

    /// What a service needs to run against `database` and `redis` on `port`.
    static func environment(database: String, redis: String, port: Int, secret: String = TestHub.randomToken()) -> [String: String] {
        [
            "DATABASE_URL": database, "REDIS_URL": redis, "HUB_JWT_HS256_SECRET": secret, "HUB_INTERNAL_TOKEN": TestHub.randomToken(),
            "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "test1"), "HUB_PORT": String(port),
        ]
    }

    static func waitUntilReady(_ url: String, while child: ChildProcess, timeout: Duration = .seconds(60)) async throws -> Bool {
        var ready = false
        _ = try await waitUntil(upTo: timeout, every: .milliseconds(200)) {
            if let reply = try? await get(url), reply.status == 200 { ready = true }
            return ready || !child.isRunning
        }
        return ready
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}
