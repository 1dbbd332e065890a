import Foundation
import Testing

@testable import WebConsole

/// The endpoint page's recovery: a count to confirm before anything is sent, nothing to send when
/// none failed, and for a disabled endpoint a way to enable it first (an enabled one can be
/// disabled, behind a confirmation).
@Suite struct WebhookRecoveryTests {
    static func page(_ values: [String: Any]) async throws -> String {
        let renderer = try await PageRenderer.bundled()
        let base: [String: Any] = [
            "title": "Webhook endpoint", "signed_in": true, "csrf": "t", "id": "s1",
            "subscription": ["url": "https://example.com/h", "enabled": values["endpoint_disabled"] as? Bool != true] as [String: Any],
        ]
        return renderer.html("webhook", base.merging(values) { _, new in new })
    }

    @Test func failedDeliveriesAreCountedBeforeTheyAreSent() async throws {
        #expect(WebhookPages.recovery(failed: 1)["recover_count_text"] as? String == "1 failed delivery")
        #expect(WebhookPages.recovery(failed: 7)["recover_count_text"] as? String == "7 failed deliveries")
        #expect(WebhookPages.recovery(failed: 1_000)["recover_count_text"] as? String == "At least 1,000 failed deliveries")
        #expect(WebhookPages.recovery(failed: 1_000)["recover_button"] as? String == "Send them all again")

        let html = try await Self.page(WebhookPages.recovery(failed: 7).merging(["recover_since": "2026-12-01T00:00:00Z"]) { _, new in new })
        #expect(html.contains("<strong>7 failed deliveries</strong> since"))
        #expect(html.contains(#"<button type="submit" class="button danger">Send 7 again</button>"#))
        #expect(html.contains(#"<input type="hidden" name="confirmed" value="yes">"#))
        #expect(!html.contains("/enable"), "an enabled endpoint offers no enabling")
        #expect(html.contains(#"action="/integrations/webhooks/s1/test""#))
        #expect(
            html.contains(#"<form method="post" action="/integrations/webhooks/s1/disable" data-confirm="Disable this endpoint?"#),
            "an enabled endpoint can be disabled, behind a confirmation"
        )
    }

    @Test func noFailedDeliveriesMeansNothingToSend() async throws {
        let html = try await Self.page(WebhookPages.recovery(failed: 0).merging(["recover_since": "2026-12-01T00:00:00Z"]) { _, new in new })
        #expect(html.contains("No failed deliveries since"))
        #expect(html.contains("nothing to send again"))
        #expect(!html.contains("again</button>"), "no button that would send nothing")
        #expect(!html.contains(#"name="confirmed""#))
    }

    @Test(arguments: [false, true])
    func aDeliveryOffersRedeliveryOnlyWhileItsEndpointIsEnabled(disabled: Bool) async throws {
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "delivery",
            [
                "title": "Delivery", "signed_in": true, "csrf": "t", "endpoint_disabled": disabled,
                "delivery": ["id": "d1", "subscription_id": "s1", "event_type": "invoice.paid"] as [String: Any],
            ]
        )
        #expect(html.contains(#"action="/integrations/webhooks/s1/deliveries/d1/redeliver""#) == !disabled)
        #expect(html.contains("enable it again</a> to redeliver") == disabled)
    }

    @Test func aDisabledEndpointIsEnabledBeforeItsDeliveriesAreRecovered() async throws {
        let html = try await Self.page(["endpoint_disabled": true, "recover_default": "2026-12-01T00:00:00Z"])
        #expect(html.contains(#"<form method="post" action="/integrations/webhooks/s1/enable">"#))
        #expect(html.contains("Enable again</button>"))
        #expect(html.contains("Enable it again first"))
        #expect(!html.contains("Count failed deliveries"), "no recovery the API would refuse")
        #expect(!html.contains("/disable"), "a disabled endpoint offers no disabling")
        #expect(!html.contains("/s1/test"), "nor a test event, which the API refuses (409) for a disabled endpoint")
    }
}
