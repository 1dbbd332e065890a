import AsyncHTTPClient
import Foundation
import HubConnectors
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import XCTest

/// The transport against a real local HTTP server that fails on purpose.
final class ProviderTransportTests: XCTestCase {
    /// Counts calls per path and answers the scripted statuses in order, then 200.
    final class Script: Sendable {
        let state: Mutex<[String: [Int]]>
        let calls = Mutex<[String: Int]>([:])

        init(_ plan: [String: [Int]]) {
            state = Mutex(plan)
        }

        func next(_ path: String) -> Int {
            calls.withLock { $0[path, default: 0] += 1 }
            return state.withLock { plan in
                guard var statuses = plan[path], !statuses.isEmpty else { return 200 }
                let status = statuses.removeFirst()
                plan[path] = statuses
                return status
            }
        }

        func count(_ path: String) -> Int { calls.withLock { $0[path] ?? 0 } }
    }

    func makeServer(_ script: Script) -> some ApplicationProtocol {
        let router = Router()
        router.on("*", method: .get) { request, _ in Self.respond(script, request) }
        router.on("*", method: .post) { request, _ in Self.respond(script, request) }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func respond(_ script: Script, _ request: Request) -> Response {
        let status = script.next(request.uri.path)
        var headers: HTTPFields = [:]
        if status == 429 { headers[.retryAfter] = "1" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    static let classify: @Sendable (ProviderResponse) -> ConnectorError = { response in
        switch response.status {
        case 401: .authenticationFailed("refused")
        case 429: .rateLimited(retryAfter: response.retryAfter)
        case 500...: .unavailable(status: response.status, message: "")
        default: .validation(message: "bad", field: nil)
        }
    }

    static func transport(_ maxAttempts: Int = 5) -> ProviderTransport {
        ProviderTransport(retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)))
    }

    func testA500BurstOnAnIdempotentRequestIsRetriedAndSucceeds() async throws {
        let script = Script(["/a": [500, 502, 503]])
        try await makeServer(script).test(.live) { client in
            let url = "http://127.0.0.1:\(try XCTUnwrap(client.port))/a"
            let response = try await Self.transport().send(
                ProviderRequest(method: .GET, url: url),
                provider: "test",
                entity: "x",
                classify: Self.classify
            )
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(script.count("/a"), 4)
        }
    }

    func testRetryAfterIsWaitedOut() async throws {
        let script = Script(["/limited": [429]])
        try await makeServer(script).test(.live) { client in
            let url = "http://127.0.0.1:\(try XCTUnwrap(client.port))/limited"
            let started = ContinuousClock.now
            let response = try await Self.transport().send(
                ProviderRequest(method: .GET, url: url),
                provider: "test",
                entity: "x",
                classify: Self.classify
            )
            XCTAssertEqual(response.status, 200)
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .seconds(1), "the provider's Retry-After was not honoured")
        }
    }

    func testAnUnkeyedWriteIsNotRepeatedAfterA500() async throws {
        let script = Script(["/write": [500]])
        try await makeServer(script).test(.live) { client in
            let url = "http://127.0.0.1:\(try XCTUnwrap(client.port))/write"
            do {
                _ = try await Self.transport().send(ProviderRequest(method: .POST, url: url), provider: "test", entity: "x", classify: Self.classify)
                XCTFail("a failed unkeyed write was reported as success")
            } catch {
                XCTAssertEqual(error as? ConnectorError, .unavailable(status: 500, message: ""))
            }
            XCTAssertEqual(script.count("/write"), 1, "a POST without an idempotency key must not be sent twice")
            // With a key the same write is safe to repeat.
            let keyed = ProviderRequest(method: .POST, url: url, isIdempotent: true)
            let response = try await Self.transport().send(keyed, provider: "test", entity: "x", classify: Self.classify)
            XCTAssertEqual(response.status, 200)
        }
    }

    func testAuthenticationFailureIsNotRetriedAndRetriesStopAtTheBudget() async throws {
        let script = Script(["/auth": [401], "/down": [500, 500, 500, 500, 500, 500]])
        try await makeServer(script).test(.live) { client in
            let base = "http://127.0.0.1:\(try XCTUnwrap(client.port))"
            do {
                _ = try await Self.transport().send(
                    ProviderRequest(method: .GET, url: base + "/auth"),
                    provider: "test",
                    entity: "x",
                    classify: Self.classify
                )
                XCTFail("expected authenticationFailed")
            } catch {
                XCTAssertEqual(error as? ConnectorError, .authenticationFailed("refused"))
            }
            XCTAssertEqual(script.count("/auth"), 1)
            do {
                _ = try await Self.transport(3).send(
                    ProviderRequest(method: .GET, url: base + "/down"),
                    provider: "test",
                    entity: "x",
                    classify: Self.classify
                )
                XCTFail("expected unavailable after the retry budget")
            } catch {
                XCTAssertEqual(error as? ConnectorError, .unavailable(status: 500, message: ""))
            }
            XCTAssertEqual(script.count("/down"), 3)
        }
    }

    func testAnUnreachableProviderIsANetworkError() async throws {
        let port = try freePort()
        do {
            _ = try await Self.transport(2).send(
                ProviderRequest(method: .GET, url: "http://127.0.0.1:\(port)/nothing", timeout: .seconds(1)),
                provider: "test",
                entity: "x",
                classify: Self.classify
            )
            XCTFail("expected a network error")
        } catch {
            XCTAssertEqual(error, .network("connection failed"))
        }
    }

    func testRetryAfterReadsSecondsAndHTTPDates() {
        func response(_ value: String) -> ProviderResponse {
            ProviderResponse(status: 429, headers: ["Retry-After": value], body: [])
        }
        XCTAssertEqual(response("2.5").retryAfter, .milliseconds(2_500))
        XCTAssertEqual(response("Tue, 14 Nov 2023 22:14:20 GMT").retryAfter, .zero, "a past date means retry now")
        XCTAssertNil(response("soon").retryAfter)
        XCTAssertNil(ProviderResponse(status: 429, headers: [:], body: []).retryAfter)
        // A provider's absurd ask is cut to the longest wait, not converted into a trap.
        XCTAssertEqual(response("1e300").retryAfter, .seconds(900))
        XCTAssertEqual(response("86400").retryAfter, .seconds(900))
        XCTAssertNil(response("inf").retryAfter)
    }

    func testBackoffStaysWithinTheCapAndVaries() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        let waits = (1...200).map { _ in policy.backoff(afterAttempt: 8) }
        XCTAssertTrue(waits.allSatisfy { $0 <= .seconds(2) })
        XCTAssertGreaterThan(Set(waits).count, 50, "full jitter spreads retries")
    }
}
