import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import W3CTraceContext
import XCTest

/// Calls between services carry the caller's request id, a child span of its trace, and the
/// service credential on /internal routes only; a slow peer ends in a typed timeout.
final class ServiceClientTests: XCTestCase {
    struct Seen: Codable {
        var requestID: String?
        var traceparent: String?
        var authorization: String?
    }

    func makePeer() -> some ApplicationProtocol {
        let router = Router()
        router.get("internal/echo") { request, _ in try Self.echo(request) }
        router.get("public/echo") { request, _ in try Self.echo(request) }
        // Far past the 200 ms timeout below, so a stalled machine cannot let the answer beat it.
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(5))
            return "late"
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func echo(_ request: Request) throws -> Response {
        let seen = Seen(
            requestID: request.headers[.requestID],
            traceparent: request.headers[.traceparent],
            authorization: request.headers[.authorization]
        )
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(seen))))
    }

    func testPropagatesRequestIDAndTraceAndSendsTheServiceTokenOnlyToInternalRoutes() async throws {
        try await makePeer().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let services = ServiceClient(
                httpClient: .shared,
                baseURLs: [.catalog: "http://127.0.0.1:\(port)"],
                internalToken: "service-token-0123456789abcdef0123"
            )
            let trace = TraceContext(traceID: .random(), spanID: .random(), flags: .sampled, state: TraceState([]))
            let propagation = ServiceClient.Propagation(requestID: "req-42", trace: trace)

            let internalReply = try await services.send(.GET, to: .catalog, path: "/internal/echo", propagation: propagation)
            let seen = try JSONDecoder().decode(Seen.self, from: internalReply.body)
            XCTAssertEqual(seen.requestID, "req-42")
            XCTAssertEqual(seen.authorization, "Bearer service-token-0123456789abcdef0123")
            let child = try TraceContext(traceParentHeaderValue: try XCTUnwrap(seen.traceparent))
            XCTAssertEqual(child.traceID, trace.traceID, "same trace")
            XCTAssertNotEqual(child.spanID, trace.spanID, "a new span")

            let publicReply = try await services.send(.GET, to: .catalog, path: "/public/echo", propagation: propagation)
            XCTAssertNil(try JSONDecoder().decode(Seen.self, from: publicReply.body).authorization)
        }
    }

    func testSlowPeerEndsInATypedTimeoutAndUnknownServiceIsRefused() async throws {
        try await makePeer().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let services = ServiceClient(httpClient: .shared, baseURLs: [.catalog: "http://127.0.0.1:\(port)"], internalToken: "t")
            let propagation = ServiceClient.Propagation(requestID: nil, trace: nil)
            do {
                _ = try await services.send(.GET, to: .catalog, path: "/slow", propagation: propagation, timeout: .milliseconds(200))
                XCTFail("a slow peer did not time out")
            } catch {
                XCTAssertEqual(error as? ServiceCallError, .timeout(.catalog))
            }
            do {
                _ = try await services.send(.GET, to: .webhook, path: "/x", propagation: propagation)
                XCTFail("a service without a URL was called")
            } catch {
                XCTAssertEqual(error as? ServiceCallError, .unknownService(.webhook))
            }
        }
    }
}
