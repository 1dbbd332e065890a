import HubConnectors
import HubCore
import Hummingbird

/// How a provider failure reads to an API caller: a 4xx when the caller's data or credential is
/// at fault, 502/503/504 when the provider is.
extension ConnectorError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .authenticationFailed, .permissionDenied, .unsupported:
            APIError(.unprocessableContent, code: code, message: message)
        case .notFound:
            APIError(.notFound, code: code, message: message)
        case .validation(_, let field):
            APIError(.unprocessableContent, code: code, message: message, details: field.map { ["field": .string($0)] })
        case .rateLimited(let retryAfter):
            APIError(
                .serviceUnavailable,
                code: code,
                message: message,
                headers: retryAfter.map { [.retryAfter: String(max(1, $0.components.seconds))] } ?? [:]
            )
        case .unavailable, .invalidResponse:
            APIError(.badGateway, code: code, message: message)
        case .network:
            APIError(.gatewayTimeout, code: code, message: message)
        case .conflict:
            APIError(.conflict, code: code, message: message)
        }
    }
}
