import Foundation
import HubCore
import Testing

@testable import WebConsole

/// The endpoints list shows webhook-service's success rate as a person reads it.
@Suite struct WebhookListTests {
    @Test func theSuccessRateIsRoundedDownAndSaysOfHowMany() async throws {
        #expect(WebhookPages.successText(["attempted": 40, "delivered": 39, "success_rate": .number(0.975)]) == "97.5 % (39 of 40)")
        #expect(WebhookPages.successText(["attempted": 1000, "delivered": 999, "success_rate": .number(0.999)]) == "99.9 % (999 of 1000)")
        #expect(WebhookPages.successText(["attempted": 3001, "delivered": 3000, "success_rate": .number(3000.0 / 3001)]) == "99.9 % (3000 of 3001)")
        #expect(WebhookPages.successText(["attempted": 3, "delivered": 3, "success_rate": 1]) == "100 % (3 of 3)")
        #expect(WebhookPages.successText(["attempted": 3, "delivered": 0, "success_rate": 0]) == "0 % (0 of 3)")
        #expect(WebhookPages.successText(["attempted": 0, "delivered": 0, "success_rate": .null]) == "no deliveries")
        #expect(WebhookPages.successText(nil) == "—")

        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "webhooks",
            [
                "title": "Webhooks", "signed_in": true, "csrf": "t",
                "endpoints": [
                    ["id": "s1", "url": "https://example.com/h", "types": "*", "status_label": "Enabled", "success": "97.5 % (39 of 40)"]
                        as [String: Any]
                ],
            ]
        )
        #expect(html.contains("<th scope=\"col\">Delivered, last 24 h</th>"))
        #expect(html.contains("<td>97.5 % (39 of 40)</td>"))
        #expect(!html.contains("More endpoints"), "one page: no link to another")
        let paged = renderer.html("webhooks", ["title": "Webhooks", "signed_in": true, "csrf": "t", "next_href": "/integrations/webhooks?cursor=c2"])
        #expect(paged.contains(#"<a class="button secondary" href="/integrations/webhooks?cursor=c2">More endpoints</a>"#))
    }

    @Test func anAttemptShowsTheHeadersSentAndReceivedEscaped() async throws {
        let attempt: JSONValue = [
            "attempt": 1, "status_code": 200, "latency_ms": 12, "attempted_at": "2026-12-04T20:30:00Z",
            "request_headers": [["name": "webhook-signature", "value": "v1,abc="], ["name": "webhook-id", "value": "msg_1"]],
            "response_headers": [["name": "x-note", "value": "<b>hi</b>"]],
        ]
        let row = WebhookPages.attemptRow(attempt)
        #expect(row["has_request_headers"] as? Bool == true)
        let old = WebhookPages.attemptRow(["attempt": 2, "status_code": .null, "latency_ms": 3, "error": "connection refused"])
        #expect(old["has_request_headers"] as? Bool == false)
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html("delivery", ["title": "Delivery", "signed_in": true, "csrf": "t", "attempts": [row, old]])
        #expect(html.contains("<dt>webhook-signature</dt><dd><code>v1,abc=</code></dd>"))
        #expect(html.contains("<dt>x-note</dt><dd><code>&lt;b&gt;hi&lt;/b&gt;</code></dd>"))
        #expect(!html.contains("<b>hi</b>"))
        #expect(html.contains("No response."), "the attempt without a response says so")
        #expect(html.contains("<summary>Headers<span class=\"visually-hidden\"> of attempt 2</span></summary>"))
    }

    /// A refused endpoint comes back with what was typed, and the summary links to the control
    /// the refusal names.
    @Test func aRefusedEndpointKeepsWhatWasTypedAndPointsAtTheField() async throws {
        #expect(WebhookPages.formTarget(of: "event_types[0]") == "event-types")
        #expect(WebhookPages.formTarget(of: "description") == "description")
        #expect(WebhookPages.formTarget(of: "url") == "url")
        #expect(WebhookPages.formTarget(of: nil) == "url")
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "webhooks",
            [
                "title": "Webhooks", "signed_in": true, "csrf": "t", "error": "'event_types[0]' is not an event type",
                "error_target": "event-types", "entered_url": "https://example.com/h", "entered_description": "Ledger sync",
            ]
        )
        #expect(html.contains(##"<a href="#event-types">"##))
        #expect(html.contains(#"<fieldset id="event-types""#))
        #expect(html.contains(#"value="Ledger sync""#))
        #expect(html.contains(#"value="https://example.com/h""#))
    }
}
