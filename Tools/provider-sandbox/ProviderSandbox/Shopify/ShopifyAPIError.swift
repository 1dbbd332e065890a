import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// An error answered the way Shopify's Admin REST API answers it: the status and an `errors`
/// member that is a string for 401/404 and an object of field messages for 400/422.
struct ShopifyAPIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var errors: JSONValue
    var headers: HTTPFields = [:]

    static let notFound = ShopifyAPIError(status: .notFound, errors: .string("Not Found"))
    static let unauthorized = ShopifyAPIError(
        status: .unauthorized,
        errors: .string("[API] Invalid API key or access token (unrecognized login or wrong password)")
    )

    /// 422 with Shopify's `{"errors":{"field":["message"]}}`.
    static func invalid(_ field: String, _ message: String) -> ShopifyAPIError {
        ShopifyAPIError(status: .unprocessableContent, errors: .object([field: .array([.string(message)])]))
    }

    /// 400 with `{"errors":{"param":"message"}}`, as Shopify rejects bad query parameters.
    static func badRequest(_ parameter: String, _ message: String) -> ShopifyAPIError {
        ShopifyAPIError(status: .badRequest, errors: .object([parameter: .string(message)]))
    }

    static func rateLimited(retryAfter: Double) -> ShopifyAPIError {
        ShopifyAPIError(
            status: .tooManyRequests,
            errors: .string("Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."),
            headers: [.retryAfter: String(format: "%.1f", retryAfter)]
        )
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        JSONBody.response(
            JSONValue.object(["errors": errors]).encoded(),
            status: status,
            contentType: "application/json; charset=utf-8",
            headers: headers
        )
    }
}
