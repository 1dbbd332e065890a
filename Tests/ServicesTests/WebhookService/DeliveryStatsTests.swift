import Foundation
import HubTestSupport
import HubWebhooks
import Testing

/// `GET …/webhooks/delivery-stats`: per subscription, of the deliveries attempted in the window,
/// how many were delivered; computed by webhook-service so the console only shows it.
@Suite struct DeliveryStatsTests {
    static let path = "/api/v1/integrations/webhooks/delivery-stats"

    @Test func eachSubscriptionSaysHowManyOfItsRecentDeliveriesArrived() async throws {
        try await WebhookReceiver().run { receiver in
            receiver.script("/down") { _ in .init(status: 500, body: "boom") }
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let up = try await harness.subscribe(receiver.url("/up"), types: ["invoice.*"], token: token)
                let down = try await harness.subscribe(receiver.url("/down"), types: ["invoice.*"], token: token)
                let idle = try await harness.subscribe(receiver.url("/idle"), types: ["quote.expired"], token: token)
                for n in 0..<3 { try await harness.publish("invoice.created", data: ["id": "inv_\(n)"], token: token) }
                _ = try await harness.waitForDeliveries(up.id, token: token) {
                    $0.count == 3 && $0.allSatisfy { $0["status"] as? String == "delivered" }
                }
                _ = try await harness.waitForDeliveries(down.id, token: token) {
                    $0.count == 3 && $0.allSatisfy { $0["status"] as? String == "failed" }
                }

                let reply = try await harness.request(.get, Self.path, token: token)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.json["window_hours"] as? Int == 24)
                let rows = Dictionary(uniqueKeysWithValues: reply.data.map { ($0["subscription_id"] as? String ?? "", $0) })
                #expect(rows.count == 3, "\(reply.text)")
                #expect(rows[up.id]?["attempted"] as? Int == 3)
                #expect(rows[up.id]?["delivered"] as? Int == 3)
                #expect(rows[up.id]?["success_rate"] as? Double == 1)
                #expect(rows[down.id]?["failed"] as? Int == 3)
                #expect(rows[down.id]?["delivered"] as? Int == 0)
                #expect(rows[down.id]?["success_rate"] as? Double == 0)
                #expect(rows[idle.id]?["attempted"] as? Int == 0)
                #expect(rows[idle.id]?["success_rate"] is NSNull, "no attempt: no rate, not 0 %")

                // The window is the caller's (1 to 720 hours); these deliveries are inside the last hour too.
                let oneHour = try await harness.request(.get, Self.path + "?hours=1", token: token)
                #expect(oneHour.json["window_hours"] as? Int == 1)
                #expect(oneHour.data.first { $0["subscription_id"] as? String == up.id }?["delivered"] as? Int == 3)
                for bad in ["0", "721", "day"] {
                    let refused = try await harness.request(.get, Self.path + "?hours=" + bad, token: token)
                    #expect(refused.status == .unprocessableContent, "hours=\(bad): \(refused.text)")
                    #expect(refused.text.contains("hours"))
                }
                let other = try await harness.request(.get, Self.path, token: try await harness.hub.token())
                #expect(other.data.isEmpty, "another organization sees none of it: \(other.text)")
            }
        }
    }
}
