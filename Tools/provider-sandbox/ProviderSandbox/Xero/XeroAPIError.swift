import Foundation
import HubCore
import Hummingbird

/// Xero's error answers: problem details for authentication, authorisation, missing objects and
/// limits (`{"Title","Status","Detail","Instance","Type"}`), and the `ValidationException` body
/// (`Elements[].ValidationErrors[].Message`) for rejected data.
struct XeroAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var body: JSONObject
    var headers: [(String, String)] = []

    static let unauthorized = problem(.unauthorized, title: "Unauthorized", detail: "AuthenticationUnsuccessful")
    /// No `xero-tenant-id`, or one the token does not reach.
    static let forbidden = problem(.forbidden, title: "Forbidden", detail: "AuthenticationUnsuccessful")
    static let notFound = problem(.notFound, title: "Not Found", detail: "The resource you're looking for cannot be found")
    static let idempotencyConflict = problem(
        .conflict,
        title: "Conflict",
        detail: "The Idempotency-Key has already been used with a different request"
    )

    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> XeroAPIError {
        XeroAPIError(
            status: status,
            body: [
                "Type": .null, "Title": .string(title), "Status": .number(Double(status.code)), "Detail": .string(detail),
                "Instance": .string(UUID().uuidString.lowercased()),
            ]
        )
    }

    static func rateLimited(problem: String, retryAfter: Int) -> XeroAPIError {
        var error = Self.problem(.tooManyRequests, title: "Too Many Requests", detail: "Rate limit exceeded")
        error.headers = [("Retry-After", String(retryAfter)), ("X-Rate-Limit-Problem", problem)]
        return error
    }

    /// A request Xero cannot read at all (bad JSON, a `where` it cannot parse).
    static func badRequest(_ message: String, type: String = "ValidationException") -> XeroAPIError {
        XeroAPIError(
            status: .badRequest,
            body: ["ErrorNumber": 10, "Type": .string(type), "Message": .string(message), "Elements": []]
        )
    }

    /// The answer to a batch with invalid elements: every element, each with its errors.
    static func validation(_ elements: [JSONObject]) -> XeroAPIError {
        XeroAPIError(
            status: .badRequest,
            body: [
                "ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
                "Elements": .array(elements.map(JSONValue.object)),
            ]
        )
    }

    func response(extraHeaders: [(String, String)] = []) -> Response {
        XeroReply(status: status, body: body, headers: headers + extraHeaders).response()
    }
}

/// An answer of the Accounting API: JSON with the rate-limit headers.
struct XeroReply: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: JSONObject
    var headers: [(String, String)] = []

    /// Xero's envelope around a list or a write's result.
    static func envelope(_ resource: XeroResource, _ objects: [JSONObject], pagination: JSONObject? = nil) -> XeroReply {
        var body: JSONObject = [
            "Id": .string(UUID().uuidString.lowercased()), "Status": "OK", "ProviderName": "Integration Hub sandbox",
            "DateTimeUTC": .string(XeroTimestamp.json(milliseconds: XeroTimestamp.milliseconds(Date()))),
            resource.name: .array(objects.map(JSONValue.object)),
        ]
        if let pagination { body["pagination"] = .object(pagination) }
        return XeroReply(body: body)
    }

    var bytes: [UInt8] { JSONValue.object(body).encoded() }

    func response() -> Response {
        JSONBody.response(bytes, status: status, contentType: "application/json; charset=utf-8", headers: OAuthHTTP.headers(headers))
    }
}
