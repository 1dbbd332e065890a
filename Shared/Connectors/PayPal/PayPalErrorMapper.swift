import HubCore

/// Reads PayPal's error body (`{"name","message","debug_id","details":[{"field","issue",
/// "description"}]}`, or the OAuth shape `{"error","error_description"}`) into `ConnectorError`
/// by HTTP status and `name`, never by searching message text:
///
/// - 401 → `authenticationFailed` (the caller renews the token and retries once); 403
///   (`NOT_AUTHORIZED`) → `permissionDenied`; 404 → `notFound`; 409 → `conflict`.
/// - 429 (`RATE_LIMIT_REACHED`) → `rateLimited`, with `Retry-After` when PayPal sends one.
/// - 400 and 422 → `validation` with the first detail's description and field.
/// - 5xx → `unavailable`.
///
/// Messages carry PayPal's `debug_id`, which its support asks for.
enum PayPalErrorMapper {
    struct Detail: Equatable {
        var name: String
        var message: String
        var field: String?
        var debugID: String?

        /// `INVALID_REQUEST: /detail/currency_code: A required field is missing. (debug_id …)`.
        var text: String {
            "PayPal \(name): \(message)" + (debugID.map { " (debug_id \($0))" } ?? "")
        }
    }

    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let detail = error(in: response.body) ?? Detail(name: "HTTP \(response.status)", message: "PayPal answered HTTP \(response.status)")
        switch response.status {
        case 401: return .authenticationFailed(detail.text)
        case 403: return .permissionDenied(detail.text)
        case 404: return .notFound(entity: entity, id: id ?? "")
        case 409: return .conflict(detail.text)
        case 429: return .rateLimited(retryAfter: response.retryAfter)
        case 500...599: return .unavailable(status: response.status, message: detail.text)
        default: return .validation(message: detail.text, field: detail.field)
        }
    }

    /// The error a body holds: its first detail's description (and issue) when it has details,
    /// else its message.
    static func error(in body: [UInt8]) -> Detail? {
        guard let json = JSONReader.parse(body), case .object = json else { return nil }
        if let code = json["error"]?.stringValue {
            return Detail(name: code, message: json["error_description"]?.stringValue ?? code)
        }
        guard let name = json["name"]?.stringValue else { return nil }
        let first = json["details"]?.arrayValue?.first
        let field = first?["field"]?.stringValue
        var message = json["message"]?.stringValue ?? name
        if let first {
            let issue = first["issue"]?.stringValue
            let description = first["description"]?.stringValue
            message = [field, description ?? issue].compactMap { $0 }.joined(separator: ": ")
            if let issue, description != nil { message += " [\(issue)]" }
        }
        return Detail(name: name, message: message, field: field, debugID: json["debug_id"]?.stringValue)
    }
}
