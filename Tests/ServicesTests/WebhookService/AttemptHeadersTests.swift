import Foundation
import HubTestSupport
import HubWebhooks
import Testing

/// Every attempt in the delivery log carries the headers the hub sent (signatures, never the
/// secret) and the headers the endpoint answered with.
@Suite struct AttemptHeadersTests {
    static func headers(_ attempt: [String: Any], _ key: String) -> [String: String] {
        var result: [String: String] = [:]
        for field in attempt[key] as? [[String: Any]] ?? [] {
            if let name = field["name"] as? String, let value = field["value"] as? String { result[name.lowercased()] = value }
        }
        return result
    }

    @Test func eachAttemptLogsTheHeadersSentAndReceivedWithoutTheSecret() async throws {
        try await WebhookReceiver().run { receiver in
            receiver.script("/hook") { previous in
                previous == 0 ? .init(status: 503, headers: ["X-Trace": "first"], body: "busy") : .init(status: 200, headers: ["X-Trace": "second"])
            }
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let subscription = try await harness.subscribe(receiver.url("/hook"), token: token)
                try await harness.publish("invoice.created", data: ["id": "inv_1"], token: token)
                let log = try await harness.waitForDeliveries(subscription.id, token: token) { $0.first?["status"] as? String == "delivered" }
                let attempts = try #require(log.first?["attempts"] as? [[String: Any]])
                try #require(attempts.count == 2, "\(attempts)")
                let received = receiver.received(path: "/hook")
                for (index, attempt) in attempts.enumerated() {
                    let sent = Self.headers(attempt, "request_headers")
                    #expect(sent["webhook-id"] == received[index].webhookID)
                    #expect(sent["webhook-timestamp"] == received[index].headers["webhook-timestamp"])
                    #expect(sent["webhook-signature"] == received[index].headers["webhook-signature"])
                    #expect(sent["webhook-signature"]?.hasPrefix("v1,") == true)
                    #expect(sent["content-type"] == "application/json")
                }
                #expect(Self.headers(attempts[0], "response_headers")["x-trace"] == "first")
                #expect(Self.headers(attempts[1], "response_headers")["x-trace"] == "second")

                let raw = try await harness.request(.get, "\(WebhookHarness.subscriptions)/\(subscription.id)/deliveries", token: token).text
                let key = subscription.secret.replacingOccurrences(of: "whsec_", with: "")
                #expect(!raw.contains(key), "the signing secret is not in the log")
            }
        }
    }
}
