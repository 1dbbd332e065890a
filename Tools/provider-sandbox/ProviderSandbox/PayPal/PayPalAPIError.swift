import Foundation
import HubCore
import Hummingbird

/// PayPal's REST error body: `{"name","message","debug_id","details":[{"field","value","location",
/// "issue","description"}],"links":[…]}` with the HTTP status PayPal gives each name.
struct PayPalAPIError: Error, Sendable {
    var status: HTTPResponse.Status
    var name: String
    var message: String
    var details: [JSONValue] = []

    static let unauthorized = PayPalAPIError(
        status: .unauthorized,
        name: "AUTHENTICATION_FAILURE",
        message: "Authentication failed due to invalid authentication credentials or a missing Authorization header."
    )

    static func notFound(_ what: String) -> PayPalAPIError {
        PayPalAPIError(
            status: .notFound,
            name: "RESOURCE_NOT_FOUND",
            message: "The specified resource does not exist.",
            details: [["issue": "INVALID_RESOURCE_ID", "description": .string("\(what) not found.")]]
        )
    }

    /// A malformed request: each detail names the field (a JSON pointer or query parameter) and
    /// PayPal's issue code.
    static func invalid(field: String, issue: String, description: String, location: String = "body") -> PayPalAPIError {
        PayPalAPIError(
            status: .badRequest,
            name: "INVALID_REQUEST",
            message: "Request is not well-formed, syntactically incorrect, or violates schema.",
            details: [["field": .string(field), "location": .string(location), "issue": .string(issue), "description": .string(description)]]
        )
    }

    static func unprocessable(issue: String, description: String) -> PayPalAPIError {
        PayPalAPIError(
            status: .unprocessableContent,
            name: "UNPROCESSABLE_ENTITY",
            message: "The requested action could not be performed, semantically incorrect, or failed business validation.",
            details: [["issue": .string(issue), "description": .string(description)]]
        )
    }

    var body: JSONValue {
        [
            "name": .string(name), "message": .string(message),
            "debug_id": .string(SandboxTokenStore.randomToken(prefix: "", length: 13).lowercased()),
            "details": .array(details),
            "links": [["href": "https://developer.paypal.com/api/rest/reference/orders/v2/errors/", "rel": "information_link"]],
        ]
    }

    func response() -> Response {
        JSONBody.response(body.encoded(), status: status)
    }
}
