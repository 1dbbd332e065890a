import Crypto
import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import Synchronization

/// Sends Intuit's data-change webhooks, signed with the app's verifier token: `intuit-signature`
/// is the base64 HMAC-SHA256 of the exact body. Two payload formats, as an app chooses in the
/// developer portal: the legacy `eventNotifications` object, or a JSON array of CloudEvents
/// (`type` `qbo.<entity>.<verb>.v1`, sent as `application/cloudevents+json`).
final class QuickBooksWebhookSender: Sendable {
    enum Format: String, Codable, Sendable {
        case legacy
        case cloudEvents = "cloudevents"
    }

    let verifierToken: String
    let dispatcher: WebhookDispatcher
    private let chosen = Mutex(Format.legacy)

    init(verifierToken: String, dispatcher: WebhookDispatcher) {
        self.verifierToken = verifierToken
        self.dispatcher = dispatcher
    }

    var format: Format {
        get { chosen.withLock { $0 } }
        set { chosen.withLock { $0 = newValue } }
    }

    func send(_ changes: [QuickBooksChange], realm: String) async {
        guard !changes.isEmpty, !dispatcher.endpoints(for: "quickbooks").isEmpty else { return }
        let format = format
        let body = (format == .legacy ? Self.legacy(changes, realm: realm) : Self.cloudEvents(changes, realm: realm)).encoded()
        await dispatcher.dispatch(provider: "quickbooks", headers: headers(body: body, format: format), body: body)
    }

    func headers(body: [UInt8], format: Format) -> HTTPHeaders {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(verifierToken.utf8)))
        return [
            "Content-Type": format == .legacy ? "application/json" : "application/cloudevents+json",
            "intuit-signature": Data(mac).base64EncodedString(),
            "intuit-t-id": UUID().uuidString.lowercased(),
        ]
    }

    static func legacy(_ changes: [QuickBooksChange], realm: String) -> JSONValue {
        let entities: [JSONValue] = changes.map { change in
            [
                "name": .string(change.entity.rawValue), "id": .string(change.id), "operation": .string(change.operation),
                "lastUpdated": .string(ISOTimestamp.string(unix: Double(change.time)) ?? ""),
            ]
        }
        return ["eventNotifications": [["realmId": .string(realm), "dataChangeEvent": ["entities": .array(entities)]]]]
    }

    static func cloudEvents(_ changes: [QuickBooksChange], realm: String) -> JSONValue {
        .array(
            changes.map { change in
                let verb =
                    switch change.operation {
                    case "Create": "created"
                    case "Delete": "deleted"
                    default: "updated"
                    }
                return [
                    "specversion": "1.0", "id": .string(UUID().uuidString.lowercased()), "source": "intuit.sandbox",
                    "type": .string("qbo.\(change.entity.rawValue.lowercased()).\(verb).v1"), "datacontenttype": "application/json",
                    "time": .string(ISOTimestamp.string(unix: Double(change.time)) ?? ""), "intuitentityid": .string(change.id),
                    "intuitaccountid": .string(realm), "data": [:],
                ]
            }
        )
    }
}
