import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import XCTest

/// `/readyz` follows Redis going away and coming back, without restarting the service.
final class ReadinessTests: XCTestCase {
    struct Report: Decodable {
        var ready: Bool
        var checks: [String: String]
    }

    func testReadyzTurns503WhenRedisStopsAndRecoversWhenItReturns() async throws {
        let redis = try await RedisServerProcess.start()
        let hub = try await TestHub.make(service: .catalog, redisURL: redis.url)
        let app = HubApplication.build(dependencies: hub.dependencies, openAPI: OpenAPIDocument(bytes: Array("{}".utf8))) { _ in }
        try await app.test(.router) { client in
            let ready = try await Self.readiness(client)
            XCTAssertEqual(ready.0, .ok)
            XCTAssertEqual(ready.1.checks, ["postgres": "ok", "redis": "ok", "migrations": "ok"])

            await redis.stop()
            let down = try await Self.readiness(client)
            XCTAssertEqual(down.0, .serviceUnavailable)
            XCTAssertFalse(down.1.ready)
            XCTAssertEqual(down.1.checks["postgres"], "ok")
            XCTAssertNotEqual(down.1.checks["redis"], "ok")

            try await redis.start()
            // The client reconnects by itself; allow for its reconnect backoff.
            var recovered = false
            for _ in 0..<50 where !recovered {
                recovered = try await Self.readiness(client).0 == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(100)) }
            }
            XCTAssertTrue(recovered, "readiness did not recover after Redis came back")
        }
        await redis.stop()
    }

    /// What the process says of itself is for the operator: a request a proxy passed on (a
    /// catch-all route of the front door or an Ingress) finds no such route.
    func testReadinessAndMetricsAreNotServedToProxiedRequests() async throws {
        let hub = try await TestHub.make(service: .catalog)
        let app = HubApplication.build(dependencies: hub.dependencies, openAPI: OpenAPIDocument(bytes: Array("{}".utf8))) { _ in }
        try await app.test(.router) { client in
            for path in ["/readyz", "/metrics"] {
                let direct = try await client.execute(uri: path, method: .get)
                XCTAssertEqual(direct.status, .ok, path)
                let proxied = try await client.execute(uri: path, method: .get, headers: [.forwardedFor: "203.0.113.7"])
                XCTAssertEqual(proxied.status, .notFound, path)
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: proxied.body))
                XCTAssertEqual(body["error"]?["code"]?.stringValue, "not_found", "\(path): \(body)")
            }
            let health = try await client.execute(uri: "/healthz", method: .get, headers: [.forwardedFor: "203.0.113.7"])
            XCTAssertEqual(health.status, .ok, "liveness says nothing of the process's state")
        }
    }

    static func readiness(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, Report) {
        let response = try await client.execute(uri: "/readyz", method: .get)
        return (response.status, try JSONDecoder().decode(Report.self, from: Data(buffer: response.body)))
    }
}
