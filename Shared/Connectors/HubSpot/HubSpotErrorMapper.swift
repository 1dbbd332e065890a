import Foundation
import HubCore

/// Reads HubSpot's error answers (`{"status":"error","message","correlationId","category",
/// "errors":[{"message","code"}]}`) by status and fields, never by searching text:
///
/// - 400 → `validation` with HubSpot's message (and each `errors[].message` it adds).
/// - 401 → `authenticationFailed`; 403 (a missing scope) → `permissionDenied`; 404 → `notFound`.
/// - 409 (a unique property's value is taken: `Contact already exists. Existing ID: …`) → `conflict`.
/// - 429 → `rateLimited`. HubSpot sends no `Retry-After`; the wait follows the limit its body
///   names in `policyName`: the rest of the 10-second window for `TEN_SECONDLY_ROLLING`
///   (`X-HubSpot-RateLimit-Interval-Milliseconds`), the time to the next UTC midnight for `DAILY`
///   (capped, as every provider wait, at `ProviderResponse.longestRetryAfter`). The sync worker
///   pauses the account for that long in the limiter every worker shares.
/// - 5xx → `unavailable`.
enum HubSpotErrorMapper {
    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let body = JSONReader.parse(response.body) ?? .null
        let message = self.message(body)
        switch response.status {
        case 400:
            return .validation(message: message ?? "HubSpot rejected the request", field: nil)
        case 401:
            return .authenticationFailed(message ?? "HubSpot refused the access token")
        case 403:
            return .permissionDenied(message ?? "HubSpot refused access (a scope may be missing)")
        case 404:
            return .notFound(entity: entity, id: id ?? "")
        case 409:
            return .conflict(message ?? "HubSpot refused the write as a conflict")
        case 429:
            return .rateLimited(retryAfter: response.retryAfter ?? wait(policy: body["policyName"]?.stringValue, response: response))
        case 500...599:
            return .unavailable(status: response.status, message: message ?? "HubSpot failed")
        default:
            return .invalidResponse("unexpected HTTP \(response.status) from HubSpot")
        }
    }

    /// HubSpot's `message`, with the distinct `errors[].message` it details when they add to it.
    static func message(_ body: JSONValue) -> String? {
        var parts: [String] = []
        if let top = body["message"]?.stringValue, !top.isEmpty { parts.append(top) }
        for error in body["errors"]?.arrayValue ?? [] {
            if let text = error["message"]?.stringValue, !text.isEmpty, !parts.contains(text) { parts.append(text) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// How long a 429 of `policy` lasts.
    static func wait(policy: String?, response: ProviderResponse, now: Date = Date()) -> Duration {
        if policy == "DAILY" {
            let seconds = 86_400 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
            return .milliseconds(Int(min(seconds, ProviderResponse.longestRetryAfter) * 1000))
        }
        let interval = response.headers.first(name: "X-HubSpot-RateLimit-Interval-Milliseconds").flatMap(Int.init) ?? 10_000
        return .milliseconds(min(max(interval, 1_000), 10_000))
    }
}
