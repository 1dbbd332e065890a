import Foundation
import HubCore

/// Reads Shopify's error answers into `ConnectorError` by status code and the `errors` member
/// (a string, a list, or field → messages), never by searching message text.
enum ShopifyErrorMapper {
    static func classify(_ response: ProviderResponse, entity: String, id: String?) -> ConnectorError {
        let (message, field) = errors(in: response.body)
        switch response.status {
        case 401:
            return .authenticationFailed(message ?? "Shopify refused the access token")
        case 402:
            return .permissionDenied(message ?? "the shop's account is frozen (payment required)")
        case 403:
            return .permissionDenied(message ?? "the access token lacks the scope for this call")
        case 404:
            return .notFound(entity: entity, id: id ?? "")
        case 409:
            return .conflict(message ?? "the object changed while it was being written")
        case 423:
            return .permissionDenied(message ?? "the shop is locked")
        case 429:
            return .rateLimited(retryAfter: response.retryAfter)
        case 400, 406, 422:
            return .validation(message: message ?? "Shopify rejected the request (HTTP \(response.status))", field: field)
        case 500...599:
            return .unavailable(status: response.status, message: message ?? "Shopify failed")
        default:
            return .invalidResponse("unexpected HTTP \(response.status) from Shopify")
        }
    }

    /// The provider's message and, for field errors, the first field: `{"errors":{"title":["can't
    /// be blank"]}}` reads as ("title can't be blank", "title").
    static func errors(in body: [UInt8]) -> (message: String?, field: String?) {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else { return (nil, nil) }
        switch object["errors"] ?? object["error"] {
        case .string(let message):
            return (message, nil)
        case .array(let messages):
            return (messages.compactMap(Self.text).joined(separator: "; "), nil)
        case .object(let fields):
            let keys = fields.keys.sorted()
            let parts = keys.map { key -> String in
                let messages: [String]
                switch fields[key] {
                case .array(let list): messages = list.compactMap(Self.text)
                case let value?: messages = Self.text(value).map { [$0] } ?? []
                case nil: messages = []
                }
                return messages.map { key == "base" ? $0 : "\(key) \($0)" }.joined(separator: "; ")
            }
            return (parts.joined(separator: "; "), keys.first { $0 != "base" })
        default:
            return (nil, nil)
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }
}
