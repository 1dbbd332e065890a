import AsyncHTTPClient
import Crypto
import Foundation
import HubCore
import NIOCore
import NIOHTTP1

/// Xero's webhooks: a batch of events naming what changed (never the data), signed with the
/// app's webhook key in `x-xero-signature` (base64 HMAC-SHA256 of the exact body), and the
/// intent-to-receive check Xero runs before it enables an endpoint: empty batches, some signed
/// correctly and some not, which the endpoint must answer 200 with an empty body and 401.
struct XeroWebhookSender: Sendable {
    let key: String
    let dispatcher: WebhookDispatcher

    struct Event: Sendable {
        var tenantID: String
        var category: String
        var type: String
        var resourceID: String
        var resource: String
    }

    func send(_ events: [Event], baseURL: String = "https://api.xero.com/api.xro/2.0") async {
        guard !events.isEmpty, !dispatcher.endpoints(for: "xero").isEmpty else { return }
        let now = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        let payload: JSONValue = [
            "events": .array(
                events.map { event in
                    [
                        "resourceUrl": .string("\(baseURL)/\(event.resource)/\(event.resourceID)"), "resourceId": .string(event.resourceID),
                        "eventDateUtc": .string(now), "eventType": .string(event.type), "eventCategory": .string(event.category),
                        "tenantId": .string(event.tenantID), "tenantType": "ORGANISATION",
                    ]
                }
            ),
            "firstEventSequence": 1, "lastEventSequence": .number(Double(events.count)), "entropy": .string(Self.entropy()),
        ]
        let body = payload.encoded()
        await dispatcher.dispatch(provider: "xero", headers: headers(body, signature: signature(body)), body: body)
    }

    func signature(_ body: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8)))).base64EncodedString()
    }

    func headers(_ body: [UInt8], signature: String) -> HTTPHeaders {
        ["Content-Type": "application/json", "x-xero-signature": signature]
    }

    /// One endpoint's answers to the intent-to-receive check.
    struct IntentResult: Codable, Sendable {
        var url: String
        var passed: Bool
        /// `<signed|unsigned>: <status> <body bytes>` per request.
        var answers: [String]
    }

    /// Runs the check against every registered endpoint: `rounds` correctly and `rounds`
    /// incorrectly signed requests each.
    func intentToReceive(rounds: Int = 2) async -> [IntentResult] {
        var results: [IntentResult] = []
        for url in dispatcher.endpoints(for: "xero") {
            var passed = true
            var answers: [String] = []
            for round in 0..<(rounds * 2) {
                let correct = round % 2 == 0
                let body = JSONValue.object(["events": [], "firstEventSequence": 0, "lastEventSequence": 0, "entropy": .string(Self.entropy())])
                    .encoded()
                let signed = correct ? signature(body) : signature(body + [0x20])
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers = headers(body, signature: signed)
                request.body = .bytes(ByteBuffer(bytes: body))
                var status = 0
                var length = -1
                if let response = try? await dispatcher.httpClient.execute(request, timeout: .seconds(5)) {
                    status = Int(response.status.code)
                    length = (try? await response.body.collect(upTo: 1 << 20))?.readableBytes ?? -1
                }
                passed = passed && status == (correct ? 200 : 401) && (correct ? length == 0 : true)
                answers.append("\(correct ? "signed" : "unsigned"): \(status) \(length)")
            }
            results.append(IntentResult(url: url, passed: passed, answers: answers))
        }
        return results
    }

    static func entropy() -> String {
        String((0..<10).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ".randomElement() ?? "A" })
    }
}
