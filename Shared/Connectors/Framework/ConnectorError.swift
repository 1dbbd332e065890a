import HubCore

/// What went wrong talking to a provider, as a case the caller can act on: refresh credentials,
/// wait and retry, show the provider's validation message, give up. Never a string to grep.
public enum ConnectorError: Error, Sendable, Equatable {
    /// The credential was refused (expired, revoked, wrong). Re-authentication is needed.
    case authenticationFailed(String)
    /// The credential is valid but lacks the scope or role for this call.
    case permissionDenied(String)
    case notFound(entity: String, id: String)
    /// The provider rejected the data; `message` is the provider's own words, `field` its path.
    case validation(message: String, field: String?)
    /// The provider asked us to slow down; `retryAfter` is its own signal when it sent one.
    case rateLimited(retryAfter: Duration?)
    /// The provider failed (5xx) or said it is down.
    case unavailable(status: Int, message: String)
    /// No answer: connection refused or reset, timeout.
    case network(String)
    /// The remote object changed underneath (stale version token, idempotency key reused).
    case conflict(String)
    /// The connector does not offer this entity or operation.
    case unsupported(String)
    /// The provider answered something the connector cannot read.
    case invalidResponse(String)

    /// Whether trying the same request again later may succeed.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .unavailable, .network: true
        default: false
        }
    }
}

extension ConnectorError: APIErrorConvertible {
    /// How a provider failure reads to an API caller: a 4xx when the caller's data or credential
    /// is at fault, 502/503/504 when the provider is.
    public var apiError: APIError {
        switch self {
        case .authenticationFailed(let message):
            APIError(.unprocessableContent, code: "provider_authentication_failed", message: message)
        case .permissionDenied(let message):
            APIError(.unprocessableContent, code: "provider_permission_denied", message: message)
        case .notFound(let entity, let id):
            APIError(.notFound, code: "not_found", message: "\(entity) '\(id)' was not found at the provider")
        case .validation(let message, let field):
            APIError(
                .unprocessableContent, code: "provider_validation_failed", message: message,
                details: field.map { ["field": .string($0)] })
        case .rateLimited(let retryAfter):
            APIError(
                .serviceUnavailable, code: "provider_rate_limited", message: "the provider is rate limiting requests",
                headers: retryAfter.map { [.retryAfter: String(max(1, $0.components.seconds))] } ?? [:])
        case .unavailable(let status, _):
            APIError(.badGateway, code: "provider_unavailable", message: "the provider failed (HTTP \(status))")
        case .network:
            APIError(.gatewayTimeout, code: "provider_unreachable", message: "the provider could not be reached")
        case .conflict(let message):
            APIError(.conflict, code: "provider_conflict", message: message)
        case .unsupported(let message):
            APIError(.unprocessableContent, code: "unsupported", message: message)
        case .invalidResponse:
            APIError(.badGateway, code: "provider_invalid_response", message: "the provider sent a response that could not be read")
        }
    }
}
