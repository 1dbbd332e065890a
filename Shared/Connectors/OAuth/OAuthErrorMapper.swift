import Foundation
import HubCore

/// Reads the error answers of OAuth endpoints (RFC 6749 §5.2 `error` / `error_description`) and of
/// the providers' who-am-I and revocation calls into `ConnectorError`, by the error code and the
/// status, never by message text. A provider's own shapes come first (`OAuthWire.readError`).
enum OAuthErrorMapper {
    /// Codes after which the grant (or the hub's client) will not work until someone acts:
    /// a refused code or refresh token, a dead access token, a client the provider does not know.
    static let authentication: Set<String> = ["invalid_grant", "invalid_token", "invalid_client", "unauthorized_client"]
    static let permission: Set<String> = ["invalid_scope", "insufficient_scope", "access_denied"]
    static let validation: Set<String> = [
        "invalid_request", "unsupported_grant_type", "unsupported_response_type", "unsupported_token_type",
    ]

    static func classify(_ response: ProviderResponse, wire: OAuthWire, entity: String) -> ConnectorError {
        let body = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))
        if let specific = wire.readError(response, body) { return specific }
        let message = Self.message(in: body) ?? "\(wire.name) answered HTTP \(response.status)"
        if response.status == 429 { return .rateLimited(retryAfter: response.retryAfter) }
        if response.status >= 500 { return .unavailable(status: response.status, message: message) }
        if let code = Self.code(in: body) {
            if authentication.contains(code) { return .authenticationFailed("\(wire.name) refused the grant: \(code): \(message)") }
            if permission.contains(code) { return .permissionDenied("\(code): \(message)") }
            if validation.contains(code) { return .validation(message: "\(code): \(message)", field: nil) }
        }
        switch response.status {
        case 401: return .authenticationFailed("\(wire.name) refused the token: \(message)")
        case 403: return .permissionDenied(message)
        case 404: return .notFound(entity: entity, id: "")
        case 400, 409, 422: return .validation(message: message, field: nil)
        default: return .invalidResponse("unexpected HTTP \(response.status) from \(wire.name)")
        }
    }

    /// The standard `error` code of a body, when it is a string.
    static func code(in body: JSONValue?) -> String? {
        guard case .object(let object)? = body, case .string(let code)? = object["error"] else { return nil }
        return code
    }

    /// The provider's own words: `error_description`, or the `message` / `Detail` most APIs use.
    static func message(in body: JSONValue?) -> String? {
        guard case .object(let object)? = body else { return nil }
        for key in ["error_description", "message", "Detail", "detail"] {
            if case .string(let text)? = object[key], !text.isEmpty { return text }
        }
        return nil
    }
}
