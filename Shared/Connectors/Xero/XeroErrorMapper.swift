import Foundation
import HubCore

/// Reads Xero's error answers by status and body shape, never by searching text:
///
/// - 400 `ValidationException` → `validation` with every `Elements[].ValidationErrors[].Message`
///   (Xero's own words), or the top-level `Message` of other 400s (a bad `where`).
/// - 401 → `authenticationFailed`; 403 (no `xero-tenant-id`, or a tenant the grant no longer
///   reaches) → `permissionDenied`; 404 → `notFound`.
/// - 409 (an `Idempotency-Key` reused for another request) → `conflict`.
/// - 429 → `rateLimited` with `Retry-After`, which for the day limit is hours: the wait is the
///   provider's, not a backoff guess. `ConnectorError` has no room for `X-Rate-Limit-Problem`
///   (`minute`, `day`, `appminute`); `rateLimitProblem` reads it where a caller can report it.
/// - 5xx → `unavailable`.
enum XeroErrorMapper {
    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let body = (try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))) ?? .null
        let detail = body["Detail"]?.stringValue ?? body["Message"]?.stringValue
        switch response.status {
        case 400:
            let messages = validationMessages(body)
            let message = messages.isEmpty ? (detail ?? "Xero rejected the request") : messages.joined(separator: "; ")
            return .validation(message: message, field: nil)
        case 401:
            return .authenticationFailed(detail ?? "Xero refused the access token")
        case 403:
            return .permissionDenied("Xero refused access to the organisation (\(detail ?? "forbidden"))")
        case 404:
            return .notFound(entity: entity, id: id ?? "")
        case 409:
            return .conflict(detail ?? "Xero refused the write as a conflict")
        case 429:
            return .rateLimited(retryAfter: response.retryAfter)
        case 500...599:
            return .unavailable(status: response.status, message: detail ?? "Xero failed")
        default:
            return .invalidResponse("unexpected HTTP \(response.status) from Xero")
        }
    }

    /// Every element's validation messages, in order, without repeats.
    static func validationMessages(_ body: JSONValue) -> [String] {
        var messages: [String] = []
        for element in body["Elements"]?.arrayValue ?? [] {
            for error in element["ValidationErrors"]?.arrayValue ?? [] {
                if let message = error["Message"]?.stringValue, !messages.contains(message) { messages.append(message) }
            }
        }
        return messages
    }

    /// Which limit a 429 names (`minute`, `day`, `appminute`), for logs and the job's status.
    static func rateLimitProblem(_ response: ProviderResponse) -> String? {
        response.headers.first(name: "X-Rate-Limit-Problem")
    }
}
