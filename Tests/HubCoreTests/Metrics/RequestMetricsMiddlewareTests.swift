import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Requests counted and timed per route, method and status in the process's Prometheus
/// registry, under Hummingbird's metric names; a thrown error, or an answer of 400 or more, is
/// counted as an error too. Each test uses routes of its own (the registry lives as long as the
/// test process).
@Suite struct RequestMetricsMiddlewareTests {
    static func app(prefix: String) -> some ApplicationProtocol {
        _ = HubMetrics.registry  // bootstrapped before the middleware makes its first metric
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware())
        router.get("\(prefix)/ok") { _, _ in "fine" }
        router.post("\(prefix)/conflict") { _, _ -> String in throw HTTPError(.conflict, message: "taken") }
        router.post("\(prefix)/refused") { _, _ in Response(status: .unprocessableContent) }
        return Application(router: router)
    }

    @Test func answeredRequestsAreCountedAndTimedByRouteMethodAndStatus() async throws {
        let prefix = "/m\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.app(prefix: prefix).test(.router) { client in
            for _ in 0..<3 {
                let response = try await client.execute(uri: "\(prefix)/ok", method: .get)
                #expect(String(buffer: response.body) == "fine")
            }
        }
        let labels = [#"http_route="\#(prefix)/ok""#, #"http_request_method="GET""#, #"http_response_status_code="200""#]
        #expect(MetricsSample.value("hb_requests", labels: labels) == "3")
        #expect(MetricsSample.value("http_server_request_duration_count", labels: labels) == "3")
        #expect(MetricsSample.value("hb_request_errors", labels: [#"http_route="\#(prefix)/ok""#]) == "0")
    }

    @Test func aThrownErrorIsCountedWithItsStatusAsAnError() async throws {
        let prefix = "/m\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.app(prefix: prefix).test(.router) { client in
            let response = try await client.execute(uri: "\(prefix)/conflict", method: .post)
            #expect(response.status == .conflict)
        }
        let route = #"http_route="\#(prefix)/conflict""#
        #expect(MetricsSample.value("hb_requests", labels: [route, #"http_response_status_code="409""#]) == "1")
        #expect(MetricsSample.value("hb_request_errors", labels: [route, #"error_type="409""#]) == "1")
    }

    /// An error answered rather than thrown (what the hub's ErrorMiddleware, inside this one,
    /// makes of every thrown error) is an error too.
    @Test func anAnswerOf400OrMoreIsCountedAsAnError() async throws {
        let prefix = "/m\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.app(prefix: prefix).test(.router) { client in
            for _ in 0..<2 {
                let response = try await client.execute(uri: "\(prefix)/refused", method: .post)
                #expect(response.status == .unprocessableContent)
            }
        }
        let route = #"http_route="\#(prefix)/refused""#
        #expect(MetricsSample.value("hb_requests", labels: [route, #"http_response_status_code="422""#]) == "2")
        #expect(MetricsSample.value("hb_request_errors", labels: [route, #"error_type="422""#]) == "2")
    }
}
