import Foundation
import HubCore
import HubTestSupport
import HubWebhooks
import Testing

/// Slack messages are deliveries of the outbox: the real webhook-service executable, killed with
/// SIGKILL while Slack fails every post and started again, posts every event's message once.
@Suite(.serialized)
struct SlackDurabilityTests {
    static let events = 8

    @Test func everyMessageIsPostedOnceAfterASIGKILL() async throws {
        try await SyncHarness.run { sync in
            let organization = UUID()
            let token = try await sync.hub.token(organization: organization)
            let bot = try await SlackNotificationTests.installBot(sync.service.sandboxURL)
            let slack = try await sync.connectDirectly(organization: organization, provider: "slack", fields: ["access_token": bot])
            let put = try await sync.request(
                .put,
                "/api/v1/integrations/connections/\(slack)/slack/notifications",
                token: token,
                json: #"{"channel":"\#(SlackNotificationTests.channel)"}"#
            )
            #expect(put.status == .ok, "\(put.text)")
            _ = try await sync.sandbox.send(.PUT, "/_admin/faults/slack", json: #"{"server_error_share":1}"#)

            var environment = sync.environment.merging(WebhookHarness.testEnvironment) { _, new in new }
            environment["HUB_WEBHOOK_RETRY_SCHEDULE"] = Array(repeating: "1", count: 40).joined(separator: ",")
            environment["HUB_LOG_LEVEL"] = "warning"
            var service = try await WebhookDurabilityTests.start(environment)
            let store = EventStore(client: sync.hub.dependencies.postgres, logger: sync.logger)
            var published: Set<String> = []
            for n in 0..<Self.events {
                let accepted = try await store.accept(
                    EventStore.NewEvent(
                        organizationID: organization,
                        type: "sync.failed",
                        data: ["connection_id": .string(slack), "entity": "customers", "n": .number(Double(n))],
                        source: .hub
                    )
                )
                published.insert(AcceptedEvent.publicID(accepted.id))
            }
            // Every delivery has been attempted (and refused by Slack) at least once: then the kill.
            let attempted = try await SlackNotificationTests.waitFor("attempts while Slack fails") {
                let rows = try await sync.hub.dependencies.postgres.query(
                    "SELECT count(*)::int FROM webhook_deliveries WHERE org_id = \(organization) AND attempt_count > 0 AND status = 'pending'",
                    logger: sync.logger
                )
                for try await count in rows.decode(Int.self) where count >= Self.events { return count }
                return nil
            }
            #expect(attempted == Self.events)
            service.child.kill()
            _ = await service.child.wait()
            #expect(try await Self.postedEvents(sync).isEmpty, "Slack refused every post before the kill")

            _ = try await sync.sandbox.send(.DELETE, "/_admin/faults/slack")
            service = try await WebhookDurabilityTests.start(environment)
            let posted = try await SlackNotificationTests.waitFor("every message", timeout: .seconds(120)) {
                let posted = try await Self.postedEvents(sync)
                return Set(posted).count >= Self.events ? posted : nil
            }
            service.child.terminate()
            _ = await service.child.wait()
            #expect(Set(posted) == published, "every event's message")
            #expect(posted.count == Self.events, "one message per event, not one per attempt")
        }
    }

    /// The event ids of the messages in the channel, one per message, oldest first.
    static func postedEvents(_ sync: SyncHarness) async throws -> [String] {
        let messages =
            try await sync.sandbox.send(.GET, "/_admin/slack/messages?channel=\(SlackNotificationTests.channel)").json["messages"]?.arrayValue ?? []
        return messages.compactMap { message in
            let context = message["blocks"]?.arrayValue?.compactMap { $0["elements"]?.arrayValue?.first?["text"]?.stringValue }.last ?? ""
            return context.split(separator: " ").first { $0.hasPrefix("evt_") }.map(String.init)
        }
    }
}
