import Foundation
import HubCore

/// Reads Intuit's faults into `ConnectorError` by HTTP status and the fault's `code`, never by
/// searching message text:
///
/// - 401 → `authenticationFailed`; 403 → `permissionDenied`; 429 → `rateLimited` (Intuit asks for
///   a minute's wait when it sends no `Retry-After`).
/// - code 5010 (stale `SyncToken`) → `conflict`: the object changed since it was read.
/// - code 610 (object not found or inactive) → `notFound`.
/// - any other 4xx fault (2020 required parameter, 2500 invalid reference, 6000 business rule,
///   …) → `validation` with Intuit's message and the fault's `element`.
/// - 5xx → `unavailable`.
///
/// Intuit writes authentication and throttle faults with lower-case keys (`fault.error`), the
/// others with upper-case ones (`Fault.Error`); both are read.
enum QuickBooksErrorMapper {
    struct Detail: Equatable {
        var code: String?
        var message: String
        var element: String?
    }

    /// Intuit asks clients to wait a minute after a 429.
    static let throttleWait: Duration = .seconds(60)

    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let detail = fault(in: response.body)
        let message = detail?.message ?? "QuickBooks answered HTTP \(response.status)"
        switch response.status {
        case 401: return .authenticationFailed(message)
        case 403: return .permissionDenied(message)
        case 429: return .rateLimited(retryAfter: response.retryAfter ?? throttleWait)
        case 500...599: return .unavailable(status: response.status, message: message)
        default: break
        }
        guard let detail else { return .invalidResponse("QuickBooks answered HTTP \(response.status) without a fault") }
        return classify(detail, entity: entity, id: id)
    }

    static func classify(_ detail: Detail, entity: String, id: String?) -> ConnectorError {
        switch detail.code {
        case "5010": .conflict(detail.message)
        case "610": .notFound(entity: entity, id: id ?? "")
        case "003200", "3200", "120": .authenticationFailed(detail.message)
        case "003001": .rateLimited(retryAfter: throttleWait)
        default: .validation(message: detail.message, field: detail.element)
        }
    }

    /// The first error of a `Fault` in `body`, or nil when the body holds none. Its message is
    /// Intuit's `Message` with the `Detail` that explains it.
    static func fault(in body: [UInt8]) -> Detail? {
        guard let json = JSONReader.parse(body), let fault = json["Fault"] ?? json["fault"] else { return nil }
        let first = (fault["Error"] ?? fault["error"])?.arrayValue?.first
        let message = (first?["Message"] ?? first?["message"])?.stringValue ?? ""
        let explanation = (first?["Detail"] ?? first?["detail"])?.stringValue ?? ""
        let text: String
        switch (message.isEmpty, explanation.isEmpty) {
        case (_, true): text = message.isEmpty ? "QuickBooks reported a \(fault["type"]?.stringValue ?? "fault")" : message
        case (true, false): text = explanation
        case (false, false): text = explanation.hasPrefix(message) ? explanation : "\(message): \(explanation)"
        }
        let element = first?["element"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return Detail(code: first?["code"]?.idText, message: text, element: element)
    }
}
