import Foundation
import HubCore
import Hummingbird

/// HubSpot's error body: `{"status":"error","message","correlationId","category"}`, with
/// `errors` (`[{"message","code","context","in"}]`) and `context` where HubSpot adds them, and
/// `errorType`/`policyName` on a 429.
struct HubSpotAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var category: String
    var extra: JSONObject = [:]
    var headers: [(String, String)] = []

    static let unauthorized = HubSpotAPIError(
        status: .unauthorized,
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
        category: "INVALID_AUTHENTICATION"
    )

    static func notFound(_ message: String = "resource not found") -> HubSpotAPIError {
        HubSpotAPIError(status: .notFound, message: message, category: "OBJECT_NOT_FOUND")
    }

    static func validation(_ message: String, errors: [JSONValue] = []) -> HubSpotAPIError {
        HubSpotAPIError(status: .badRequest, message: message, category: "VALIDATION_ERROR", extra: errors.isEmpty ? [:] : ["errors": .array(errors)])
    }

    static func conflict(_ message: String) -> HubSpotAPIError {
        HubSpotAPIError(status: .conflict, message: message, category: "CONFLICT")
    }

    static func rateLimited(policy: String, headers: [(String, String)]) -> HubSpotAPIError {
        let limit = policy == "DAILY" ? "daily" : "ten_secondly_rolling"
        return HubSpotAPIError(
            status: .tooManyRequests,
            message: "You have reached your \(limit) limit.",
            category: "RATE_LIMITS",
            extra: ["errorType": "RATE_LIMIT", "policyName": .string(policy)],
            headers: headers
        )
    }

    var body: JSONObject {
        var body = extra
        body["status"] = "error"
        body["message"] = .string(message)
        body["correlationId"] = .string(UUID().uuidString.lowercased())
        body["category"] = .string(category)
        return body
    }

    func response(extraHeaders: [(String, String)] = []) -> Response {
        HubSpotReply(status: status, body: body, headers: headers + extraHeaders).response()
    }
}

/// An answer of the CRM API: JSON with the rate-limit headers.
struct HubSpotReply: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: JSONObject
    var headers: [(String, String)] = []

    func response() -> Response {
        if status == .noContent { return Response(status: .noContent, headers: OAuthHTTP.headers(headers)) }
        return JSONBody.response(
            JSONValue.object(body).encoded(),
            status: status,
            contentType: "application/json;charset=utf-8",
            headers: OAuthHTTP.headers(headers)
        )
    }
}
