import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import XCTest

/// The shared request plumbing, through a real router: the error envelope, body checks, the
/// request id, and the two authentication boundaries.
final class RequestHandlingTests: XCTestCase {
    struct Invoice: StrictDecodable, Encodable {
        struct Line: Codable { var amount: Int }
        var number: String
        var lines: [Line]
        var memo: String?
        static let allowedFields: Set<String> = ["number", "lines", "memo"]
    }

    func makeApp(maxBodyBytes: Int = 2048) async throws -> (some ApplicationProtocol, TestHub) {
        let hub = try await TestHub.make(service: .catalog, environment: ["HUB_MAX_BODY_BYTES": String(maxBodyBytes)])
        let router = HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: OpenAPIDocument(bytes: Array("{}".utf8))) { routes in
            routes.api.post("invoices") { request, context in
                let invoice = try await request.decodeJSON(as: Invoice.self, context: context)
                let identity = try context.requireIdentity()
                return "\(identity.organizationID.uuidString.lowercased()) \(invoice.number) \(invoice.lines.count)"
            }
            routes.internal.get("ping") { _, _ in "pong" }
            routes.router.get("boom") { _, _ -> String in throw CancellationError() }
            routes.router.get("stopping") { _, _ -> String in
                withUnsafeCurrentTask { $0?.cancel() }  // what a shutdown does to a request in flight
                throw CancellationError()
            }
        }
        return (Application(router: router), hub)
    }

    func testValidBodyIsDecodedForTheTokensOrganization() async throws {
        let (app, hub) = try await makeApp()
        let org = UUID()
        let token = try await hub.token(organization: org)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"number":"INV-1","lines":[{"amount":5},{"amount":7}]}"#)
            )
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(String(buffer: response.body), "\(org.uuidString.lowercased()) INV-1 2")
            XCTAssertNotNil(response.headers[.requestID])
        }
    }

    func testMalformedJSONIs400WithTheEnvelope() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"number": "#)
            )
            try Self.assertError(response, status: .badRequest, code: "malformed_json")
        }
    }

    func testWrongTypeIs422NamingTheFieldPath() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"number":"INV-1","lines":[{"amount":5},{"amount":"seven"}]}"#)
            )
            let error = try Self.assertError(response, status: .unprocessableContent, code: "validation_failed")
            XCTAssertTrue(error.message.contains("lines[1].amount"), error.message)
        }
    }

    /// A type mismatch names the JSON shape expected: an object for a dictionary (a Collection
    /// too), an array for an array.
    func testAMismatchNamesTheShapeExpected() throws {
        struct Settings: Decodable {
            var labels: [String: String]
            var tags: [String]
        }
        for (body, message) in [
            (#"{"labels":[1],"tags":[]}"#, "'labels' must be an object"),
            (#"{"labels":{},"tags":{}}"#, "'tags' must be an array"),
            (#"[{"labels":{},"tags":[]}]"#, "'body' must be an object"),
        ] {
            XCTAssertThrowsError(try RequestBodyDecoder.decode(Settings.self, from: Data(body.utf8))) {
                XCTAssertEqual(($0 as? APIError)?.message, message, body)
            }
        }
    }

    /// JSON of the right syntax holding a value the field cannot take (a time that is not ISO
    /// 8601, a fraction for a whole number, a name not in the list) is the caller's 422, naming the
    /// field where the decoder says which, not "not valid JSON".
    func testAValueTheFieldCannotTakeIs422NamingIt() throws {
        enum Colour: String, APIEnumeration { case red, green }
        struct Body: Decodable {
            var since: Date?
            var count: Int?
            var colour: Colour?
        }
        for (body, message) in [
            (#"{"since":"garbage"}"#, "'since' must be an ISO 8601 time, like 2026-12-07T14:00:00Z"),
            (#"{"since":"2026-12-07"}"#, "'since' must be an ISO 8601 time, like 2026-12-07T14:00:00Z"),
            (#"{"count":1.5}"#, "a number does not fit its field: a fraction, or too large, where a whole number is expected"),
            (#"{"count":1e30}"#, "a number does not fit its field: a fraction, or too large, where a whole number is expected"),
            (#"{"colour":"blue"}"#, "'colour' must be one of red, green"),
        ] {
            XCTAssertThrowsError(try RequestBodyDecoder.decode(Body.self, from: Data(body.utf8))) {
                let error = $0 as? APIError
                XCTAssertEqual(error?.code, "validation_failed", "\(body): \(String(describing: error))")
                XCTAssertEqual(error?.message, message, body)
            }
        }
        let times = try RequestBodyDecoder.decode(Body.self, from: Data(#"{"since":"2026-12-07T14:00:00.250+01:00"}"#.utf8))
        XCTAssertEqual(times.since, Date(timeIntervalSince1970: 1_796_648_400.25), "fractions and offsets are read")
        XCTAssertThrowsError(try RequestBodyDecoder.decode(Body.self, from: Data(#"{"since":"#.utf8))) {
            XCTAssertEqual(($0 as? APIError)?.code, "malformed_json")
        }
    }

    func testMissingAndUnknownFieldsAre422() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.router) { client in
            let missing = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"lines":[]}"#)
            )
            let error = try Self.assertError(missing, status: .unprocessableContent, code: "validation_failed")
            XCTAssertTrue(error.message.contains("'number' is required"), error.message)
            let unknown = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"number":"1","lines":[],"memmo":"typo"}"#)
            )
            let unknownError = try Self.assertError(unknown, status: .unprocessableContent, code: "validation_failed")
            XCTAssertTrue(unknownError.message.contains("memmo"), unknownError.message)
        }
    }

    func testOversizedBodyIs413AndWrongContentTypeIs415() async throws {
        let (app, hub) = try await makeApp(maxBodyBytes: 1024)
        let token = try await hub.token()
        try await app.test(.router) { client in
            let memo = String(repeating: "x", count: 4096)
            let big = try await client.execute(
                uri: "/api/v1/invoices",
                method: .post,
                headers: Self.json(token),
                body: ByteBuffer(string: #"{"number":"1","lines":[],"memo":"\#(memo)"}"#)
            )
            try Self.assertError(big, status: .contentTooLarge, code: "payload_too_large")
            var headers = Self.json(token)
            headers[.contentType] = "text/plain"
            let text = try await client.execute(uri: "/api/v1/invoices", method: .post, headers: headers, body: ByteBuffer(string: "hi"))
            try Self.assertError(text, status: .unsupportedMediaType, code: "unsupported_media_type")
        }
    }

    func testApiRoutesRequireAValidUserToken() async throws {
        let (app, hub) = try await makeApp()
        let expired = try await hub.token(expiresIn: -10)
        try await app.test(.router) { client in
            let body = ByteBuffer(string: #"{"number":"1","lines":[]}"#)
            for headers: HTTPFields in [
                [.contentType: "application/json"],
                [.contentType: "application/json", .authorization: "Basic Zm9vOmJhcg=="],
                [.contentType: "application/json", .authorization: "Bearer \(expired)"],
                [.contentType: "application/json", .authorization: "Bearer \(hub.internalToken)"],
            ] {
                let response = try await client.execute(uri: "/api/v1/invoices", method: .post, headers: headers, body: body)
                try Self.assertError(response, status: .unauthorized, code: "unauthorized")
            }
        }
    }

    func testInternalRoutesAcceptOnlyTheServiceCredential() async throws {
        let (app, hub) = try await makeApp()
        let userToken = try await hub.token()
        try await app.test(.router) { client in
            let refused = try await client.execute(uri: "/internal/ping", method: .get, headers: [.authorization: "Bearer \(userToken)"])
            try Self.assertError(refused, status: .unauthorized, code: "unauthorized")
            let none = try await client.execute(uri: "/internal/ping", method: .get)
            XCTAssertEqual(none.status, .unauthorized)
            let accepted = try await client.execute(uri: "/internal/ping", method: .get, headers: [.authorization: "Bearer \(hub.internalToken)"])
            XCTAssertEqual(accepted.status, .ok)
            XCTAssertEqual(String(buffer: accepted.body), "pong")
            // Through a proxy (an Ingress's catch-all to the console), even the right credential
            // finds no route: services call each other directly.
            let proxied = try await client.execute(
                uri: "/internal/ping",
                method: .get,
                headers: [.authorization: "Bearer \(hub.internalToken)", .forwardedFor: "203.0.113.9"]
            )
            try Self.assertError(proxied, status: .notFound, code: "not_found")
        }
    }

    /// Through the hub's own middleware, where the error envelope has answered a thrown error
    /// before the metrics see it: the refusal is still counted as an error, by its status.
    func testARefusedRequestIsCountedAsAnErrorInTheMetrics() async throws {
        let (app, _) = try await makeApp()
        func errors() -> Int {
            let value = MetricsSample.value("hb_request_errors", labels: [#"http_route="/internal/ping""#, #"error_type="401""#])
            return value.flatMap { Int($0) } ?? 0
        }
        let before = errors()
        try await app.test(.router) { client in
            let refused = try await client.execute(uri: "/internal/ping", method: .get)
            XCTAssertEqual(refused.status, .unauthorized)
        }
        XCTAssertEqual(errors(), before + 1)
    }

    /// A body that breaks off or is framed wrongly is the caller's fault, found only once the
    /// handler reads it: 400 `malformed_request`, not a 500 (an adversarial pass found the 500).
    func testABadlyFramedBodyIs400() async throws {
        let (app, hub) = try await makeApp()
        let token = try await hub.token()
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let head = "POST /api/v1/invoices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
            for (label, request) in [
                ("a chunk size that is no number", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"),
                ("a body shorter than its Content-Length", head + "Content-Length: 100\r\n\r\n{}"),
            ] {
                let answer = try await RawHTTP.exchange(port: port, request, closingAfterWrite: label.contains("shorter"))
                XCTAssertTrue(answer.hasPrefix("HTTP/1.1 400"), "\(label): \(answer)")
                XCTAssertTrue(answer.contains(#""code":"malformed_request""#), "\(label): \(answer)")
            }
        }
    }

    func testUnknownRouteAndUnexpectedErrorsUseTheEnvelopeWithoutInternals() async throws {
        let (app, _) = try await makeApp()
        try await app.test(.router) { client in
            try Self.assertError(try await client.execute(uri: "/nowhere", method: .get), status: .notFound, code: "not_found")
            let boom = try await client.execute(uri: "/boom", method: .get)
            let error = try Self.assertError(boom, status: .internalServerError, code: "internal_error")
            XCTAssertFalse(error.message.contains("Cancellation"))
        }
    }

    /// Cut short by the service stopping, a request is answered 503 to retry, not 500.
    func testARequestCancelledByTheStopIs503ToRetry() async throws {
        let (app, _) = try await makeApp()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/stopping", method: .get)
            try Self.assertError(response, status: .serviceUnavailable, code: "shutting_down")
            XCTAssertEqual(response.headers[.retryAfter], "1")
        }
    }

    func testCallerRequestIDIsEchoedWhenSaneAndReplacedWhenNot() async throws {
        let (app, _) = try await makeApp()
        try await app.test(.router) { client in
            let echoed = try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "abc-123"])
            XCTAssertEqual(echoed.headers[.requestID], "abc-123")
            let replaced = try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: String(repeating: "a", count: 500)])
            XCTAssertNotEqual(replaced.headers[.requestID], String(repeating: "a", count: 500))
            XCTAssertNotNil(replaced.headers[.requestID])
        }
    }

    // MARK: - Helpers

    static func json(_ token: String) -> HTTPFields {
        [.contentType: "application/json", .authorization: "Bearer \(token)"]
    }

    struct ErrorBody: Decodable {
        struct Inner: Decodable {
            var code: String
            var message: String
        }
        var error: Inner
    }

    @discardableResult
    static func assertError(_ response: TestResponse, status: HTTPResponse.Status, code: String, line: UInt = #line) throws -> ErrorBody.Inner {
        XCTAssertEqual(response.status, status, String(buffer: response.body), line: line)
        XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8", line: line)
        let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
        XCTAssertEqual(body.error.code, code, line: line)
        return body.error
    }
}
