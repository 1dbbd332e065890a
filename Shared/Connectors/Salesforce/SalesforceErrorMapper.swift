import HubCore

/// Reads Salesforce's error arrays (`[{"message","errorCode","fields"}]`) into `ConnectorError` by
/// HTTP status and `errorCode`, never by searching message text:
///
/// - 401 (`INVALID_SESSION_ID`) → `authenticationFailed`: the session ended; the caller refreshes
///   the token once and retries.
/// - 403 `REQUEST_LIMIT_EXCEEDED` → `rateLimited`: the org's rolling 24-hour API allowance is
///   used up. Salesforce names no time; the hub pauses for `allowanceWait` and tries again.
///   Any other 403 → `permissionDenied`.
/// - 404 → `notFound`; 300 (an upsert's external id matches several records) and
///   `ENTITY_IS_DELETED` → `conflict`.
/// - any other 4xx → `validation` with Salesforce's message and its first field.
/// - 5xx → `unavailable`.
enum SalesforceErrorMapper {
    struct Detail: Equatable {
        var code: String
        var message: String
        var field: String?
    }

    /// How long a used-up daily allowance pauses the connection before it tries again: the
    /// allowance is a rolling 24-hour window, so calls come back as the oldest age out.
    static let allowanceWait: Duration = .seconds(900)

    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let detail = error(in: response.body)
        let message = detail.map { "\($0.code): \($0.message)" } ?? "Salesforce answered HTTP \(response.status)"
        switch (response.status, detail?.code) {
        case (401, _): return .authenticationFailed(message)
        case (403, "REQUEST_LIMIT_EXCEEDED"?): return .rateLimited(retryAfter: allowanceWait)
        case (403, _): return .permissionDenied(message)
        case (404, "ENTITY_IS_DELETED"?): return .notFound(entity: entity, id: id ?? "")
        case (404, _): return .notFound(entity: entity, id: id ?? "")
        case (300, _): return .conflict(message)
        case (500...599, _): return .unavailable(status: response.status, message: message)
        default: break
        }
        guard let detail else { return .invalidResponse("Salesforce answered HTTP \(response.status) without an error array") }
        return classify(detail, entity: entity, id: id)
    }

    /// A per-record error of sObject Collections, or the first error of a failed call.
    static func classify(_ detail: Detail, entity: String, id: String?) -> ConnectorError {
        switch detail.code {
        case "INVALID_SESSION_ID": .authenticationFailed(detail.message)
        case "REQUEST_LIMIT_EXCEEDED": .rateLimited(retryAfter: allowanceWait)
        case "ENTITY_IS_DELETED", "NOT_FOUND": .notFound(entity: entity, id: id ?? "")
        case "UNABLE_TO_LOCK_ROW": .conflict(detail.message)
        default: .validation(message: detail.message, field: detail.field)
        }
    }

    /// The first error of an error array (`errorCode`), or of a Collections result (`statusCode`).
    static func error(in body: [UInt8]) -> Detail? {
        guard let json = JSONReader.parse(body) else { return nil }
        return detail(json.arrayValue?.first ?? json)
    }

    static func detail(_ element: JSONValue) -> Detail? {
        guard let code = (element["errorCode"] ?? element["statusCode"])?.stringValue else { return nil }
        let field = element["fields"]?.arrayValue?.first?.stringValue
        return Detail(code: code, message: element["message"]?.stringValue ?? code, field: field)
    }
}
