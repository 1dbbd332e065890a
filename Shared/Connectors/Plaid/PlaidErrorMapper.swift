import Foundation
import HubCore

/// Reads Plaid's errors (`error_type`, `error_code`) into `ConnectorError`. The code decides,
/// not the HTTP status alone: Plaid answers most failures 400.
enum PlaidErrorMapper {
    /// Codes after which the access token (or the hub's keys) will not work until someone acts.
    static let authentication: Set<String> = [
        "INVALID_ACCESS_TOKEN", "ITEM_LOGIN_REQUIRED", "INVALID_API_KEYS", "ITEM_NOT_FOUND", "INVALID_CREDENTIALS", "ITEM_LOCKED",
        "USER_PERMISSION_REVOKED", "ITEM_CONCURRENTLY_DELETED", "ACCESS_NOT_GRANTED", "USER_SETUP_REQUIRED",
    ]
    static let permission: Set<String> = [
        "ADDITIONAL_CONSENT_REQUIRED", "PRODUCTS_NOT_SUPPORTED", "INVALID_PRODUCT", "NO_ACCOUNTS", "UNAUTHORIZED_ENVIRONMENT",
        "UNAUTHORIZED_ROUTE_ACCESS", "PRODUCT_NOT_ENABLED",
    ]

    struct PlaidError: Decodable {
        var errorType: String?
        var errorCode: String?
        var errorMessage: String?
        var displayMessage: String?

        enum CodingKeys: String, CodingKey {
            case errorType = "error_type"
            case errorCode = "error_code"
            case errorMessage = "error_message"
            case displayMessage = "display_message"
        }
    }

    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let error = try? JSONDecoder().decode(PlaidError.self, from: Data(response.body))
        let code = error?.errorCode ?? ""
        let message = error?.errorMessage ?? "Plaid answered HTTP \(response.status)"
        if response.status == 429 || error?.errorType == "RATE_LIMIT_EXCEEDED" {
            return .rateLimited(retryAfter: response.retryAfter)
        }
        if authentication.contains(code) { return .authenticationFailed("\(code): \(message)") }
        if permission.contains(code) { return .permissionDenied("\(code): \(message)") }
        switch code {
        case "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION":
            return .conflict(message)
        case "INVALID_ACCOUNT_ID":
            return .notFound(entity: entity, id: id ?? "")
        case "PRODUCT_NOT_READY":
            return .unavailable(status: response.status, message: message)
        default:
            break
        }
        if response.status >= 500 || error?.errorType == "API_ERROR" || error?.errorType == "INSTITUTION_ERROR" {
            return .unavailable(status: response.status, message: message)
        }
        guard error?.errorType != nil else { return .invalidResponse("unexpected HTTP \(response.status) from Plaid") }
        return .validation(message: "\(code): \(message)", field: nil)
    }
}
