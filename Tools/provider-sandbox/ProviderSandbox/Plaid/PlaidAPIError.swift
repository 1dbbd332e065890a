import Foundation
import Hummingbird

/// An error answered the way Plaid answers: an HTTP status and
/// `{error_type, error_code, error_message, display_message, request_id, …}`.
struct PlaidAPIError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var type: String
    var code: String
    var message: String
    var displayMessage: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        let body: [String: String?] = [
            "error_type": type, "error_code": code, "error_message": message, "display_message": displayMessage,
            "request_id": PlaidProvider.requestID(), "documentation_url": "https://plaid.com/docs/errors/", "suggested_action": nil,
        ]
        return PlaidProvider.json(body, status: status)
    }

    static func missingFields(_ fields: [String]) -> PlaidAPIError {
        PlaidAPIError(
            status: .badRequest,
            type: "INVALID_REQUEST",
            code: "MISSING_FIELDS",
            message: "the following required fields are missing: \(fields.joined(separator: ", "))"
        )
    }

    static func invalidField(_ message: String) -> PlaidAPIError {
        PlaidAPIError(status: .badRequest, type: "INVALID_REQUEST", code: "INVALID_FIELD", message: message)
    }

    static let invalidBody = PlaidAPIError(
        status: .badRequest,
        type: "INVALID_REQUEST",
        code: "INVALID_BODY",
        message: "body could not be parsed as JSON"
    )
    static let invalidAPIKeys = PlaidAPIError(
        status: .badRequest,
        type: "INVALID_INPUT",
        code: "INVALID_API_KEYS",
        message: "invalid client_id or secret provided"
    )
    static let invalidAccessToken = PlaidAPIError(
        status: .badRequest,
        type: "INVALID_INPUT",
        code: "INVALID_ACCESS_TOKEN",
        message: "provided access token is in an invalid format"
    )
    static let itemNotFound = PlaidAPIError(
        status: .badRequest,
        type: "ITEM_ERROR",
        code: "ITEM_NOT_FOUND",
        message:
            "The Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user."
    )
    static let invalidPublicToken = PlaidAPIError(
        status: .badRequest,
        type: "INVALID_INPUT",
        code: "INVALID_PUBLIC_TOKEN",
        message: "provided public token is expired or invalid"
    )
    static let loginRequired = PlaidAPIError(
        status: .badRequest,
        type: "ITEM_ERROR",
        code: "ITEM_LOGIN_REQUIRED",
        message:
            "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information.",
        displayMessage: "The login details of this account have changed. Please log in again."
    )
    static let mutationDuringPagination = PlaidAPIError(
        status: .badRequest,
        type: "TRANSACTIONS_ERROR",
        code: "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
        message: "Underlying transaction data changed since last page was fetched. Please restart pagination from last update."
    )
    static let rateLimited = PlaidAPIError(
        status: .tooManyRequests,
        type: "RATE_LIMIT_EXCEEDED",
        code: "RATE_LIMIT",
        message: "rate limit exceeded for attempts to access this item. please try again later"
    )
    static let internalError = PlaidAPIError(
        status: .internalServerError,
        type: "API_ERROR",
        code: "INTERNAL_SERVER_ERROR",
        message: "an unexpected error occurred",
        displayMessage: "Something went wrong. Please try again later."
    )
}
