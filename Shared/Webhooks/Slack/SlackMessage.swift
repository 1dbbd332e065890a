import Foundation
import HubCore

/// The Block Kit message for one hub event: a short headline, the facts that matter, and a button
/// to the console page that needs attention (`HUB_UI_ORIGIN` + the page's path). `text` is the
/// notification fallback Slack shows where blocks are not rendered.
public struct SlackMessage: Sendable, Equatable {
    public var text: String
    public var blocks: JSONValue

    /// The message for a stored event body (`{"id", "type", "timestamp", "data"}`).
    public static func build(payload: String, uiOrigin: String) -> SlackMessage {
        let event = (try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))) ?? .null
        let type = event["type"]?.stringValue ?? "event"
        let data = event["data"] ?? .object([:])
        let (headline, link) = describe(type: type, data: data)
        var facts: [String] = []
        for key in ["provider", "entity", "reason", "url", "amount", "currency"] {
            if let value = text(data[key]) { facts.append("*\(key.replacingOccurrences(of: "_", with: " "))*: \(escape(value))") }
        }
        var blocks: [JSONValue] = [
            ["type": "section", "text": ["type": "mrkdwn", "text": .string("*\(escape(headline))*")]]
        ]
        if !facts.isEmpty {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": .string(facts.prefix(5).joined(separator: "\n"))]])
        }
        blocks.append(
            [
                "type": "actions",
                "elements": [
                    ["type": "button", "text": ["type": "plain_text", "text": "Open in the hub"], "url": .string(uiOrigin + link)]
                ],
            ]
        )
        // The event id lets a reader (and a test) tell one event's message from another's.
        let id = event["id"]?.stringValue.map { " · \($0)" } ?? ""
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": .string("`\(type)`\(id) · Integration Hub")]]])
        return SlackMessage(text: headline, blocks: .array(blocks))
    }

    /// A one-line headline and the console path for an event type.
    static func describe(type: String, data: JSONValue) -> (String, String) {
        let connection = data["connection_id"]?.stringValue
        let connectionPage = connection.map { "/connections/\($0)" } ?? "/integrations"
        switch type {
        case "sync.failed":
            let entity = data["entity"]?.stringValue ?? "records"
            let job = data["job_id"]?.stringValue
            return ("A sync of \(entity) failed", job.map { "\(connectionPage)/sync/jobs/\($0)" } ?? connectionPage)
        case "connection.reauth_required":
            let provider = data["provider"]?.stringValue ?? "A provider"
            return ("\(provider) needs to be authorized again", connectionPage)
        case WebhookEventTypes.endpointDisabled:
            let subscription = data["subscription_id"]?.stringValue
            return ("A webhook endpoint was disabled", subscription.map { "/integrations/webhooks/\($0)" } ?? "/integrations/webhooks")
        default:
            return ("Hub event: \(type)", connectionPage)
        }
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text.isEmpty ? nil : String(text.prefix(300))
        case .number(let number)?: number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        default: nil
        }
    }

    /// Slack's mrkdwn control characters, escaped as its formatting guide asks.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
