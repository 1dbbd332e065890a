import Foundation

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

extension ConnectorError {
    /// A stable, machine-readable name for the failure (`provider_rate_limited`).
    public var code: String {
        switch self {
        case .authenticationFailed: "provider_authentication_failed"
        case .permissionDenied: "provider_permission_denied"
        case .notFound: "not_found"
        case .validation: "provider_validation_failed"
        case .rateLimited: "provider_rate_limited"
        case .unavailable: "provider_unavailable"
        case .network: "provider_unreachable"
        case .conflict: "provider_conflict"
        case .unsupported: "unsupported"
        case .invalidResponse: "provider_invalid_response"
        }
    }

    /// A sentence for a person: the provider's own words where it gave them and they are the
    /// caller's to read; never a transport detail or an unreadable body.
    public var message: String {
        switch self {
        case .authenticationFailed(let message), .permissionDenied(let message), .conflict(let message), .unsupported(let message):
            message
        case .notFound(let entity, let id): "\(entity) '\(id)' was not found at the provider"
        case .validation(let message, _): message
        case .rateLimited: "the provider is rate limiting requests"
        case .unavailable(let status, _): relayFailure ?? "the provider failed (HTTP \(status))"
        case .network: "the provider could not be reached"
        case .invalidResponse: "the provider sent a response that could not be read"
        }
    }
}
