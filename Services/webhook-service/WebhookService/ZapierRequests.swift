import Foundation
import HubCore

/// `POST …/zapier/keys`.
struct CreateZapierKeyRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["organization_name", "name"]
    var organizationName: String
    var name: String?

    enum CodingKeys: String, CodingKey {
        case name
        case organizationName = "organization_name"
    }
}

/// `POST …/zapier/hooks`: Zapier's subscribe call. The URL Zapier generated comes as `target_url`
/// (Zapier's REST hook guide) or `hookUrl` (what its platform names it), the trigger's event type
/// as `event` or `event_type`.
struct ZapierSubscribeRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["target_url", "hookUrl", "event", "event_type"]
    var targetURL: String?
    var hookURL: String?
    var event: String?
    var eventType: String?

    enum CodingKeys: String, CodingKey {
        case event
        case targetURL = "target_url"
        case hookURL = "hookUrl"
        case eventType = "event_type"
    }

    /// The URL and event type, or a 422 naming the missing field.
    func validated() throws -> (url: String, eventType: String) {
        guard let url = targetURL ?? hookURL, !url.isEmpty else {
            throw APIError.validation("'target_url' (or 'hookUrl') is required: the URL Zapier generated for the hook", field: "target_url")
        }
        guard let type = event ?? eventType, !type.isEmpty else {
            throw APIError.validation("'event' (or 'event_type') is required: the event type that triggers the Zap", field: "event")
        }
        return (url, type)
    }
}
