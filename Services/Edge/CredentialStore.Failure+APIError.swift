import HubConnections
import HubCore

/// Missing or unreadable credentials are the connection's state (409); a vault key this replica
/// lacks is the operator's, and passes (503).
extension CredentialStore.Failure: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .none, .unreadable: APIError(.conflict, code: code, message: message)
        case .keyUnavailable: APIError(.serviceUnavailable, code: code, message: message)
        }
    }
}
