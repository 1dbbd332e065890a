import Foundation
import HubCore

/// Reads Stripe's error responses (`{"error":{"type","code","message","param"}}`) into typed
/// cases by HTTP status and Stripe's `code`/`type` — never by searching a message:
///
/// - 401 → `authenticationFailed` (wrong, expired or revoked key); 403 → `permissionDenied`
///   (a restricted key without the permission).
/// - 404 → `notFound` for the object the call named (`resource_missing`); a 404 without a code is
///   an unrecognized URL → `unsupported`.
/// - 400/402 → `validation` with Stripe's message and `param`; `idempotency_error` → `conflict`.
/// - 409 → `conflict`, unless Stripe says `Stripe-Should-Retry: true` (a concurrent request
///   with the same key is still running) → `unavailable`, retried with the same key.
/// - 429 → `rateLimited` with `Retry-After` when Stripe sends one; otherwise the transport
///   backs off exponentially, as Stripe asks.
/// - 5xx → `unavailable`.
public struct StripeErrorMapper: Sendable {
    /// The hub entity of the call, and the object id it named (for `notFound`).
    public var entity: String
    public var id: String?

    public init(entity: String, id: String? = nil) {
        self.entity = entity
        self.id = id
    }

    /// Stripe's error object, as much of it as the hub uses.
    struct Detail: Decodable {
        var type: String?
        var code: String?
        var message: String?
        var param: String?
        var declineCode: String?

        enum CodingKeys: String, CodingKey {
            case type, code, message, param
            case declineCode = "decline_code"
        }
    }

    struct Body: Decodable {
        var error: Detail
    }

    public func classify(_ response: ProviderResponse) -> ConnectorError {
        let detail = (try? JSONDecoder().decode(Body.self, from: Data(response.body)))?.error
        let message = detail?.message ?? "Stripe answered HTTP \(response.status)"
        let shouldRetry = response.headers.first(name: "Stripe-Should-Retry")?.lowercased()
        switch response.status {
        case 401:
            return .authenticationFailed(message)
        case 403:
            return .permissionDenied(message)
        case 404:
            guard detail?.code != nil else { return .unsupported(message) }
            return .notFound(entity: entity, id: id ?? "")
        case 400, 402:
            if detail?.type == "idempotency_error" { return .conflict(message) }
            let text = detail?.declineCode.map { "\(message) (\($0))" } ?? message
            return .validation(message: text, field: detail?.param)
        case 409:
            return shouldRetry == "true" ? .unavailable(status: 409, message: message) : .conflict(message)
        case 429:
            return .rateLimited(retryAfter: response.retryAfter)
        case 500...599:
            return .unavailable(status: response.status, message: message)
        default:
            return .invalidResponse("Stripe answered HTTP \(response.status)")
        }
    }
}
