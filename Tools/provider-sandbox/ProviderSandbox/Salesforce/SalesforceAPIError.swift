import HubCore
import Hummingbird

/// Salesforce's error answer: always a JSON array, `[{"message", "errorCode", "fields"?}]`.
struct SalesforceAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var errorCode: String
    var message: String
    var fields: [String] = []

    static func malformedQuery(_ message: String) -> Self { Self(status: .badRequest, errorCode: "MALFORMED_QUERY", message: message) }
    static func invalidField(_ message: String, fields: [String] = []) -> Self {
        Self(status: .badRequest, errorCode: "INVALID_FIELD", message: message, fields: fields)
    }
    static func invalidType(_ message: String) -> Self { Self(status: .badRequest, errorCode: "INVALID_TYPE", message: message) }
    static func badRequest(_ code: String, _ message: String, fields: [String] = []) -> Self {
        Self(status: .badRequest, errorCode: code, message: message, fields: fields)
    }
    static let notFound = Self(status: .notFound, errorCode: "NOT_FOUND", message: "The requested resource does not exist")
    static let invalidSession = Self(status: .unauthorized, errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid")
    static let requestLimitExceeded = Self(status: .forbidden, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded.")
    static let invalidQueryLocator = Self(status: .badRequest, errorCode: "INVALID_QUERY_LOCATOR", message: "invalid query locator")

    /// The error as one element of the array.
    var element: JSONValue {
        var object: JSONObject = ["message": .string(message), "errorCode": .string(errorCode)]
        if !fields.isEmpty { object["fields"] = .array(fields.map(JSONValue.string)) }
        return .object(object)
    }

    /// The error as sObject Collections reports a failed record: `statusCode` instead of `errorCode`.
    var collectionElement: JSONValue {
        ["statusCode": .string(errorCode), "message": .string(message), "fields": .array(fields.map(JSONValue.string))]
    }

    func response(headers: [(String, String)] = []) -> Response {
        JSONBody.response(JSONValue.array([element]).encoded(), status: status, headers: OAuthHTTP.headers(headers))
    }
}
