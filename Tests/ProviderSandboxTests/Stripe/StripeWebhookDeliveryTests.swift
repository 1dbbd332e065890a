import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import XCTest

@testable import HubConnectors

/// End to end: the sandbox signs the events of a Dashboard change and posts them to a registered
/// endpoint; the connector's verifier accepts exactly what Stripe's scheme accepts.
final class StripeWebhookDeliveryTests: XCTestCase {
    /// What the test's receiver was sent.
    actor Inbox {
        var deliveries: [(headers: HTTPHeaders, body: [UInt8])] = []

        func append(_ headers: HTTPHeaders, _ body: [UInt8]) {
            deliveries.append((headers, body))
        }
    }

    func testDashboardChangeArrivesSignedAndVerifies() async throws {
        let inbox = Inbox()
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let headers = HTTPHeaders(request.headers.map { ($0.name.rawName, $0.value) })
            await inbox.append(headers, Array(buffer: body))
            return Response(status: .ok)
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("localhost", port: 0)))
        try await receiver.test(.live) { receiverClient in
            try await StripeSandboxHarness.run(volume: 3) { sandbox in
                let url = "http://localhost:\(receiverClient.port!)/hook"
                let registered = try await sandbox.admin(.PUT, "webhooks/stripe", json: #"{"url":"\#(url)"}"#)
                XCTAssertEqual(registered.status, 200, registered.text)
                let customer = try await sandbox.ids("customers")[0]
                let changed = try await sandbox.admin(.POST, "stripe/customers/\(customer)", json: #"{"name":"Renamed by webhook test"}"#)
                XCTAssertEqual(changed.status, 200, changed.text)

                let deliveries = await inbox.deliveries
                XCTAssertEqual(deliveries.count, 1)
                let delivery = try XCTUnwrap(deliveries.first)
                let verifier = StripeWebhookVerifier(secret: StripeSandboxHarness.webhookSecret)
                let event = try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date())
                XCTAssertEqual(event.eventType, "customer.updated")
                XCTAssertTrue(event.eventID.hasPrefix("evt_"))
                XCTAssertEqual(event.payload[stripe: "data"]?[stripe: "object"]?[stripe: "id"]?.stripeString, customer)
                XCTAssertEqual(event.payload[stripe: "data"]?[stripe: "previous_attributes"]?[stripe: "name"]?.stripeString?.isEmpty, false)
                // The same event is what the Events API lists.
                let listed = try await sandbox.stripe(.GET, "/v1/events?limit=1").json[stripe: "data"]?.stripeArray?.first
                XCTAssertEqual(listed?[stripe: "id"]?.stripeString, event.eventID)

                // A wrong secret, a replay an hour later, and a changed body are all refused.
                await assertStripeWebhookRefused(
                    try await StripeWebhookVerifier(secret: "whsec_other").verify(body: delivery.body, headers: delivery.headers, now: Date()),
                    .signatureMismatch
                )
                await assertStripeWebhookRefused(
                    try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date().addingTimeInterval(3_600)),
                    .timestampOutOfTolerance
                )
                await assertStripeWebhookRefused(
                    try await verifier.verify(body: delivery.body + [0x20], headers: delivery.headers, now: Date()),
                    .signatureMismatch
                )

                // API writes fire webhooks too: a payment produces its charge and intent events.
                _ = try await sandbox.connector().createPaymentIntent(amount: 700, currency: "usd", paymentMethod: "pm_card_visa", confirm: true)
                let types = await inbox.deliveries.dropFirst().compactMap { delivery in
                    try? JSONDecoder().decode(JSONValue.self, from: Data(delivery.body))[stripe: "type"]?.stripeString
                }
                XCTAssertEqual(types, ["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"])
            }
        }
    }
}

func assertStripeWebhookRefused<T>(
    _ expression: @autoclosure () async throws -> T,
    _ expected: WebhookVerificationError,
    file: StaticString = #filePath,
    line: UInt = #line
) async {
    do {
        _ = try await expression()
        XCTFail("expected \(expected), the webhook was accepted", file: file, line: line)
    } catch let error as WebhookVerificationError {
        XCTAssertEqual(error, expected, file: file, line: line)
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}
