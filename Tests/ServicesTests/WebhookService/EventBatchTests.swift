import Foundation
import HubTestSupport
import Testing

/// `POST /api/v1/integrations/events/batch`: each event accepted, answered as a duplicate, or
/// refused on its own, in one answer; a batch over 100 events is refused whole.
@Suite struct EventBatchTests {
    static let path = "/api/v1/integrations/events/batch"

    @Test func eachEventIsAcceptedDuplicatedOrRefusedOnItsOwn() async throws {
        try await WebhookHarness.run { harness in
            let token = try await harness.hub.token()
            // A disabled subscription still gets a (failed) delivery per event: the log counts them.
            let subscription = try await harness.subscribe("http://127.0.0.1:9/hook", token: token)
            _ = try await harness.request(.patch, "\(WebhookHarness.subscriptions)/\(subscription.id)", token: token, json: #"{"enabled": false}"#)
            let earlier = try await harness.publish("invoice.paid", data: ["id": "inv_0"], key: "order-0", token: token)
            #expect(earlier.status == .accepted)
            let batch = """
                {"events": [
                    {"type": "invoice.paid", "data": {"id": "inv_1"}, "idempotency_key": "order-1"},
                    {"type": "invoice.paid", "data": {"id": "inv_0"}, "idempotency_key": "order-0"},
                    {"type": "invoice.exploded", "idempotency_key": "order-2"},
                    "not an event",
                    {"type": "invoice.paid", "colour": "red"},
                    {"type": "invoice.paid", "data": [1]},
                    {"type": "invoice.paid", "idempotency_key": "order-1"},
                    {"type": "payment.received"}
                ]}
                """
            let reply = try await harness.request(.post, Self.path, token: token, json: batch)
            #expect(reply.status == .ok, "\(reply.text)")
            let data = reply.data
            try #require(data.count == 8, "\(reply.text)")
            #expect(data.map { $0["index"] as? Int } == Array(0..<8))
            #expect(
                data.map { $0["status"] as? String } == ["accepted", "duplicate", "refused", "refused", "refused", "refused", "refused", "accepted"]
            )
            #expect(reply.json["accepted"] as? Int == 2)
            #expect(reply.json["duplicates"] as? Int == 1)
            #expect(reply.json["refused"] as? Int == 5)
            let duplicate = data[1]["event"] as? [String: Any]
            #expect(duplicate?["id"] as? String == earlier.json["id"] as? String, "a duplicate answers the first event")
            func error(_ index: Int) -> [String: Any] { data[index]["error"] as? [String: Any] ?? [:] }
            #expect(error(2)["code"] as? String == "unknown_event_type")
            #expect((error(3)["message"] as? String)?.contains("events[3]") == true, "\(error(3))")
            #expect((error(4)["message"] as? String)?.contains("colour") == true, "\(error(4))")
            #expect((error(5)["details"] as? [String: Any])?["field"] as? String == "data")
            #expect((error(6)["message"] as? String)?.contains("events[0]") == true, "a key twice in one batch: \(error(6))")
            // Exactly the accepted events were written: the earlier one and two new.
            let log = try await harness.deliveries(subscription.id, token: token)
            #expect(log.count == 3, "\(log)")

            // The same batch again: its accepted events are now duplicates, nothing new is written.
            let again = try await harness.request(.post, Self.path, token: token, json: batch)
            #expect(
                again.data.map { $0["status"] as? String } == [
                    "duplicate", "duplicate", "refused", "refused", "refused", "refused", "refused", "accepted",
                ]
            )
            #expect((again.data[0]["event"] as? [String: Any])?["id"] as? String == (data[0]["event"] as? [String: Any])?["id"] as? String)
        }
    }

    @Test func aBatchIsRefusedWholeWhenItIsNotABatch() async throws {
        try await WebhookHarness.run { harness in
            let token = try await harness.hub.token()
            let event = #"{"type": "invoice.paid"}"#
            let tooMany = try await harness.request(
                .post,
                Self.path,
                token: token,
                json: #"{"events": [\#(Array(repeating: event, count: 101).joined(separator: ","))]}"#
            )
            #expect(tooMany.status == .unprocessableContent)
            #expect(((tooMany.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "events")
            let hundred = try await harness.request(
                .post,
                Self.path,
                token: token,
                json: #"{"events": [\#(Array(repeating: event, count: 100).joined(separator: ","))]}"#
            )
            #expect(hundred.status == .ok)
            #expect(hundred.json["accepted"] as? Int == 100)
            for body in [#"{"events": []}"#, #"{"events": {}}"#, #"{}"#, #"{"events": [], "extra": 1}"#] {
                let refused = try await harness.request(.post, Self.path, token: token, json: body)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
            }
            let header = try await harness.request(
                .post,
                Self.path,
                token: token,
                json: #"{"events": [\#(event)]}"#,
                headers: [.init("Idempotency-Key")!: "k"]
            )
            #expect(header.status == .unprocessableContent)
            let anonymous = try await harness.request(.post, Self.path, token: nil, json: #"{"events": [\#(event)]}"#)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
