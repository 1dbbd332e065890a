import Foundation
import HubCore
import NIOHTTP1
import Testing

/// PayPal's webhooks end to end: the merchant connects their REST app, registers a webhook at
/// the connection's endpoint in the sandbox's PayPal (as in PayPal's dashboard) and enters its id;
/// PayPal's signed events then reach webhook-service, are verified with the sandbox's certificate
/// (fetched from the allow-listed PayPal path), stored once per event id and turned into
/// `payment.received`, `invoice.paid` and `dispute.created` for the organization's subscriber.
@Suite(.serialized)
struct PayPalInboundWebhookTests {
    /// What the organization's subscriber asks for.
    static let announced = #"["payment.received","invoice.paid","dispute.created"]"#
    /// The sandbox's PayPal REST app.
    static let app = #"{"client_id":"paypal-sandbox-client","client_secret":"paypal-sandbox-secret"}"#

    @Test func signedEventsBecomeHubEventsOnceAndForgeriesAreRefusedWithNothingStored() async throws {
        try await InboundHarness.run { harness in
            try await WebhookReceiver().run { receiver in
                let organization = UUID()
                let token = try await harness.sync.hub.token(organization: organization)
                let connection = try await harness.sync.connect(
                    token,
                    provider: "paypal",
                    credentials: Self.app
                )
                let endpoint = "/webhooks/paypal/\(connection)"
                let registration = #"{"url":"\#(harness.baseURL + endpoint)"}"#
                let registered = try await harness.sync.sandbox.send(.POST, "/_admin/paypal/webhooks", json: registration)
                let webhookID = try #require(registered.json["id"]?.stringValue, "\(registered.text)")
                let patched = try await harness.sync.request(
                    .patch,
                    "/api/v1/integrations/connections/\(connection)",
                    token: token,
                    json: #"{"credentials":\#(Self.app.dropLast()),"webhook_id":"\#(webhookID)"}}"#
                )
                #expect(patched.status == .ok, "\(patched.text)")
                let subscription = try await WebhookDurabilityTests.call(
                    harness.baseURL + "/api/v1/integrations/webhooks/subscriptions",
                    token: token,
                    body: #"{"url":"\#(receiver.url("/hub"))","event_types":\#(Self.announced)}"#
                )
                #expect(subscription["id"] is String, "\(subscription)")

                // A capture completes at PayPal: one signed delivery, accepted, and the subscriber told.
                let capture = try await Self.emit(
                    harness,
                    type: "PAYMENT.CAPTURE.COMPLETED",
                    resource: #"{"id":"2GG279541U471931P","status":"COMPLETED","amount":{"currency_code":"USD","value":"42.00"}}"#
                )
                #expect(capture.statuses == [200])
                try await harness.waitForProcessing(connection: connection, count: 1)
                let payment = try await receiver.wait { $0.contains { $0.json["type"] as? String == "payment.received" } }
                let message = try #require(payment.first { $0.json["type"] as? String == "payment.received" })
                let data = try #require(message.json["data"] as? [String: Any])
                #expect(data["external_id"] as? String == "2GG279541U471931P")
                #expect(data["connection_id"] as? String == connection)
                #expect((data["amount"] as? [String: Any])?["value"] as? String == "42.00")

                // PayPal's retry of the same event: acknowledged, not stored or announced again.
                let retry = try await harness.post(endpoint, body: capture.body, headers: capture.headers)
                #expect(retry.status == 200 && retry.json["new"] == false, "\(retry.json)")

                // Forgeries: a changed amount, a certificate from off PayPal's paths, no signature.
                let tampered = Array(String(decoding: capture.body, as: UTF8.self).replacingOccurrences(of: "42.00", with: "4200.00").utf8)
                #expect(try await harness.post(endpoint, body: tampered, headers: capture.headers).status == 401)
                let offPaths = [
                    "https://evil.example/v1/notifications/certs/CERT-1", harness.sync.service.sandboxURL + "/stripe/v1/notifications/certs/CERT-1",
                ]
                for url in offPaths {
                    var headers = capture.headers
                    headers.replaceOrAdd(name: "PAYPAL-CERT-URL", value: url)
                    #expect(try await harness.post(endpoint, body: capture.body, headers: headers).status == 401)
                }
                var unsigned = capture.headers
                unsigned.remove(name: "PAYPAL-TRANSMISSION-SIG")
                #expect(try await harness.post(endpoint, body: capture.body, headers: unsigned).status == 401)

                // A second webhook (another id) at the same endpoint: its copies are signed for an
                // id that is not the connection's, so only the registered webhook's copy is taken.
                _ = try await harness.sync.sandbox.send(.POST, "/_admin/paypal/webhooks", json: registration)
                let invoice = try await Self.emit(
                    harness,
                    type: "INVOICING.INVOICE.PAID",
                    resource:
                        #"{"id":"INV2-Z56S-5LLA-Q52L-CPZ5","status":"PAID","detail":{"invoice_number":"0042"},"amount":{"currency_code":"USD","value":"100.00"}}"#
                )
                #expect(invoice.statuses == [200, 401])
                let dispute = try await Self.emit(
                    harness,
                    type: "CUSTOMER.DISPUTE.CREATED",
                    resource: #"{"dispute_id":"PP-D-27803","reason":"MERCHANDISE_OR_SERVICE_NOT_RECEIVED","dispute_amount":{"value":"3.00"}}"#
                )
                #expect(dispute.statuses == [200, 401])

                let events = try await harness.waitForProcessing(connection: connection, count: 3)
                #expect(events.map(\.type) == ["PAYMENT.CAPTURE.COMPLETED", "INVOICING.INVOICE.PAID", "CUSTOMER.DISPUTE.CREATED"])
                #expect(events.map(\.status) == ["processed", "processed", "processed"], "\(events)")
                let delivered = try await receiver.wait { $0.count >= 3 }
                #expect(delivered.compactMap { $0.json["type"] as? String } == ["payment.received", "invoice.paid", "dispute.created"])
                let announced = try await harness.hubEvents(organization: organization).map(\.type)
                #expect(announced == ["payment.received", "invoice.paid", "dispute.created"])
            }
        }
    }

    /// One event sent by the sandbox's PayPal: its body, the headers of the first delivery, and
    /// each delivery's status at the hub.
    static func emit(_ harness: InboundHarness, type: String, resource: String) async throws -> (body: [UInt8], headers: HTTPHeaders, statuses: [Int])
    {
        let request = #"{"event_type":"\#(type)","resource":\#(resource)}"#
        let reply = try await harness.sync.sandbox.send(.POST, "/_admin/paypal/webhooks/events", json: request)
        let deliveries = try #require(reply.json["deliveries"]?.arrayValue, "\(reply.text)")
        var headers = HTTPHeaders()
        for (name, value) in deliveries.first?["headers"]?.objectValue ?? [:] { headers.add(name: name, value: value.stringValue ?? "") }
        let body = Array(try #require(reply.json["body"]?.stringValue, "\(reply.text)").utf8)
        return (body, headers, deliveries.compactMap { $0["status"]?.intValue })
    }
}
