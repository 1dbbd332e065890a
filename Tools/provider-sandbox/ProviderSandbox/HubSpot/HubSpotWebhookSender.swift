import Crypto
import Foundation
import HubCore
import NIOHTTP1
import Synchronization

/// HubSpot's webhooks: a JSON array of events for one portal (`eventId`, `subscriptionId`,
/// `portalId`, `appId`, `occurredAt` in milliseconds, `subscriptionType` such as
/// `contact.creation`, `objectId`, `propertyName`/`propertyValue` for a property change), signed
/// per endpoint with v3: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256, keyed with the app's
/// client secret, of method + the endpoint's full URI + body + `X-HubSpot-Request-Timestamp`
/// (milliseconds).
struct HubSpotWebhookSender: Sendable {
    let clientSecret: String
    let appID: Int
    let dispatcher: WebhookDispatcher
    private let eventIDs = EventIDs()

    init(clientSecret: String, appID: Int, dispatcher: WebhookDispatcher) {
        self.clientSecret = clientSecret
        self.appID = appID
        self.dispatcher = dispatcher
    }

    struct Event: Sendable {
        var type: HubSpotObjectType
        var objectID: Int64
        /// `creation`, `propertyChange` or `deletion`.
        var change: String
        var propertyName: String?
        var propertyValue: String?
    }

    func send(_ events: [Event], portal: String) async {
        let urls = dispatcher.endpoints(for: "hubspot")
        guard !events.isEmpty, !urls.isEmpty else { return }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        // HubSpot batches at most 100 events a request.
        for start in stride(from: 0, to: events.count, by: 100) {
            let batch = events[start..<min(start + 100, events.count)].map { event -> JSONValue in
                var object: JSONObject = [
                    "eventId": .int(eventIDs.next()), "subscriptionId": .int(1000 + event.type.idBase / 10_000_000),
                    "portalId": .int(Int64(portal) ?? 0), "appId": .int(appID), "occurredAt": .int(now),
                    "subscriptionType": .string("\(event.type.singular).\(event.change)"), "attemptNumber": 0, "objectId": .int(event.objectID),
                    "changeSource": "CRM",
                    "changeFlag": .string(event.change == "creation" ? "NEW" : (event.change == "deletion" ? "DELETED" : "UPDATED")),
                ]
                if let name = event.propertyName {
                    object["propertyName"] = .string(name)
                    object["propertyValue"] = .string(event.propertyValue ?? "")
                }
                return .object(object)
            }
            let body = JSONValue.array(batch).encoded()
            for url in urls {
                let timestamp = String(now)
                let headers: HTTPHeaders = [
                    "Content-Type": "application/json", "X-HubSpot-Signature-Version": "v3",
                    "X-HubSpot-Signature-v3": signature(method: "POST", uri: url, body: body, timestamp: timestamp),
                    "X-HubSpot-Request-Timestamp": timestamp,
                ]
                await dispatcher.dispatch(provider: "hubspot", to: [url], headers: headers, body: body)
            }
        }
    }

    func signature(method: String, uri: String, body: [UInt8], timestamp: String) -> String {
        let message = Array((method + uri).utf8) + body + Array(timestamp.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(clientSecret.utf8)))).base64EncodedString()
    }
}

/// Event ids, unique over the sandbox's life (HubSpot's receivers dedupe on them).
private final class EventIDs: Sendable {
    private let last = Mutex<Int64>(0)

    func next() -> Int64 {
        last.withLock {
            $0 += 1
            return $0
        }
    }
}
