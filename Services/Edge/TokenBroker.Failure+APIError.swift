import HubConnections
import HubCore

extension TokenBroker.Failure: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .reauthRequired, .credentialsRefused: APIError(.conflict, code: code, message: message)
        case .busy: APIError(.serviceUnavailable, code: code, message: message)
        // oauth-service will be back: the caller tries again, as it would for a store.
        case .unavailable: APIError(.serviceUnavailable, code: code, message: message, headers: [.retryAfter: "5"])
        }
    }
}
