import AsyncHTTPClient
import Foundation
import HubConnections
import HubCore
import HubWebhooks
import NIOCore
import Testing

/// Slack notifications end to end through the sandbox's Slack: the hub's app installed by OAuth,
/// the channel picked from `conversations.list` through connection-service, hub events posted by
/// webhook-service's durable deliveries as Block Kit messages, and Slack's `ok: false` answers
/// mapped onto the connection.
@Suite(.serialized)
struct SlackNotificationTests {
    static let channel = "C0000000003"

    /// Installs the hub's Slack app in the sandbox's workspace; the bot token it got.
    static func installBot(_ sandboxURL: String) async throws -> String {
        let redirect = "http://127.0.0.1:4567/callback"
        let authorize =
            "\(sandboxURL)/slack/oauth/v2/authorize?client_id=slack-sandbox-client&scope=channels:read,chat:write,chat:write.public"
            + "&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&state=slack"
        let location = try await HTTPClientWithoutRedirects.shared.location(of: authorize)
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value, "\(location)")
        var request = HTTPClientRequest(url: "\(sandboxURL)/slack/api/oauth.v2.access")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = "code=\(code)&client_id=slack-sandbox-client&client_secret=slack-sandbox-secret&redirect_uri=\(redirect)"
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let answer = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
        return try #require(answer["access_token"]?.stringValue, "\(answer)")
    }

    /// The messages the sandbox's Slack holds for a channel.
    static func messages(_ harness: InboundHarness, channel: String = channel) async throws -> [JSONValue] {
        try await harness.sync.sandbox.send(.GET, "/_admin/slack/messages?channel=\(channel)").json["messages"]?.arrayValue ?? []
    }

    /// `PUT …/slack/notifications` with `json`.
    static func putNotifications(_ harness: InboundHarness, _ slack: String, token: String, json: String) async throws -> ServiceHarness.Reply {
        try await harness.sync.request(.put, "/api/v1/integrations/connections/\(slack)/slack/notifications", token: token, json: json)
    }

    /// An organization with a Slack connection announcing the default events to `#hub-alerts`.
    static func withSlack(
        environment: [String: String] = [:],
        _ body: @Sendable (InboundHarness, _ token: String, _ organization: UUID, _ slack: String) async throws -> Void
    ) async throws {
        try await InboundHarness.run(environment: environment, consumeHubEvents: true) { harness in
            let organization = UUID()
            let token = try await harness.sync.hub.token(organization: organization)
            let bot = try await installBot(harness.sync.service.sandboxURL)
            let slack = try await harness.sync.connectDirectly(organization: organization, provider: "slack", fields: ["access_token": bot])
            let put = try await Self.putNotifications(harness, slack, token: token, json: #"{"channel":"\#(channel)"}"#)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["event_types"]?.arrayValue?.compactMap(\.stringValue) == SlackNotification.defaultEventTypes.sorted())
            try await body(harness, token, organization, slack)
        }
    }

    static func waitFor<T: Sendable>(
        _ what: String,
        timeout: Duration = .seconds(60),
        _ probe: @Sendable () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await probe() { return value }
            guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct WaitTimeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    @Test func aFailedSyncPostsExactlyOneMessageToTheChosenChannel() async throws {
        try await Self.withSlack(environment: ["HUB_SYNC_RETRY_BUDGET": "2"]) { harness, token, _, slack in
            let stripe = try await harness.sync.connectStripe(token)
            // Every Stripe call fails: the job retries its calls, then fails once.
            _ = try await harness.sync.sandbox.send(.PUT, "/_admin/faults/stripe", json: #"{"server_error_share":1}"#)
            try await harness.sync.withWorkers(1) {
                let job = try await harness.sync.trigger(token, connection: stripe, json: #"{"entity":"customers"}"#)
                let id = try #require(job["id"]?.stringValue)
                let failed = try await harness.sync.waitForJob(token, id)
                #expect(failed["status"]?.stringValue == "failed")
                let posted = try await Self.waitFor("the Slack message") {
                    let messages = try await Self.messages(harness)
                    return messages.isEmpty ? nil : messages
                }
                // Time for a duplicate to show up, were one to be sent.
                try await Task.sleep(for: .seconds(2))
                #expect(try await Self.messages(harness).count == 1, "one message per event")
                let message = try #require(posted.first)
                #expect(message["text"]?.stringValue == "A sync of customers failed")
                let blocks = message["blocks"]?.arrayValue ?? []
                let button = blocks.compactMap { $0["elements"]?.arrayValue?.first?["url"]?.stringValue }.first
                #expect(button == "http://127.0.0.1:8080/connections/\(stripe)/sync/jobs/\(id)", "\(blocks)")
                // The delivery log of the Slack subscription: delivered at the first attempt.
                let rows = try await harness.postgres.query(
                    """
                    SELECT d.status, d.attempt_count FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                    WHERE s.slack_connection_id = \(UUID(uuidString: slack)!) AND d.event_type = 'sync.failed'
                    """,
                    logger: harness.sync.logger
                )
                var deliveries: [(String, Int)] = []
                for try await row in rows.decode((String, Int).self) { deliveries.append(row) }
                #expect(deliveries.map { $0.0 } == ["delivered"])
            }
        }
    }

    @Test func theChannelPickerPagesThroughConversationsList() async throws {
        try await Self.withSlack { harness, token, organization, slack in
            let archived = try await harness.sync.sandbox.send(.POST, "/_admin/slack/channels", json: #"{"name":"old-news","is_archived":true}"#)
            let archivedID = try #require(archived.json["channel"]?["id"]?.stringValue, "\(archived.text)")
            var ids: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "limit=10" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                let page = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(slack)/slack/channels?\(query)", token: token)
                #expect(page.status == .ok, "\(page.text)")
                ids += page.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                cursor = page.json["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(ids.count == 23 && Set(ids).count == 23, "every public channel once, the private one the bot is not in hidden: \(ids)")
            #expect(ids.contains(Self.channel) && !ids.contains("G0000000004") && !ids.contains(archivedID), "no archived channel: \(ids)")

            let bad = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(slack)/slack/channels?limit=0", token: token)
            #expect(bad.status == .unprocessableContent)
            let badChannel = try await Self.putNotifications(harness, slack, token: token, json: #"{"channel":"general"}"#)
            #expect(badChannel.status == .unprocessableContent, "\(badChannel.text)")
            let badType = try await Self.putNotifications(
                harness,
                slack,
                token: token,
                json: #"{"channel":"C0000000001","event_types":["sync.exploded"]}"#
            )
            #expect(badType.status == .unprocessableContent, "\(badType.text)")
            // Ids that look right but that Slack's conversations.info does not give the bot: unknown,
            // private without the bot, archived. Each is refused before it is saved.
            for (id, code) in [("C0999999999", "channel_not_found"), ("G0000000004", "channel_not_found"), (archivedID, "is_archived")] {
                let refused = try await Self.putNotifications(harness, slack, token: token, json: #"{"channel":"\#(id)"}"#)
                #expect(refused.status == .unprocessableContent, "\(id): \(refused.text)")
                #expect(refused.json["error"]?["details"]?["field"]?.stringValue == "channel", "\(refused.text)")
                #expect(refused.json["error"]?["message"]?.stringValue?.contains(code) == true, "\(id): \(refused.text)")
            }
            let path = "/api/v1/integrations/connections/\(slack)/slack/notifications"
            let read = try await harness.sync.request(.get, path, token: token)
            #expect(read.json["channel"]?.stringValue == Self.channel, "the bad requests changed nothing: \(read.text)")
            let removed = try await harness.sync.request(.delete, path, token: token)
            #expect(removed.status == .noContent)
            #expect(try await harness.sync.request(.get, path, token: token).status == .notFound)
            // Setting and removing are in the connection's audit log; the refused requests are not.
            let audit = try await PostgresClientHandle(hub: harness.sync.hub).audit(organization: organization)
                .filter { $0.action.hasPrefix("slack_notifications.") }
            #expect(audit.map(\.action) == ["slack_notifications.configured", "slack_notifications.removed"])
            #expect(audit.first?.details["channel"]?.stringValue == Self.channel)
            #expect(Set(audit.compactMap(\.resourceID)) == [slack])
            let stranger = try await harness.sync.hub.token(organization: UUID())
            let other = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(slack)/slack/channels", token: stranger)
            #expect(other.status == .notFound)
        }
    }

    @Test func aRevokedTokenFlipsTheConnectionToReauthorizationRequired() async throws {
        try await Self.withSlack { harness, token, organization, slack in
            let id = try #require(UUID(uuidString: slack))
            let repository = ConnectionRepository(client: harness.postgres, logger: harness.sync.logger)
            let connection = try #require(try await repository.get(organization: organization, id: id))
            let bot = try #require(
                try await ConnectionLifecycle(dependencies: harness.sync.hub.dependencies).credentials.open(connection, actor: "test").fields[
                    "access_token"
                ]
            )
            _ = try await harness.sync.sandbox.send(.POST, "/_admin/slack/oauth/tokens/revoke", json: #"{"token":"\#(bot)"}"#)
            try await Self.announceSyncFailure(harness, organization: organization, connection: slack)
            let flipped = try await Self.waitFor("reauth_required") {
                let current = try await repository.get(organization: organization, id: id)
                return current?.status == .reauthRequired ? current : nil
            }
            #expect(flipped.statusReason == "Slack refused the token: token_revoked")
            #expect(try await Self.messages(harness).isEmpty)
            let announced = try await Self.waitFor("connection.reauth_required") {
                try await harness.hubEvents(organization: organization).first { $0.type == "connection.reauth_required" }
            }
            #expect(announced.data["connection_id"]?.stringValue == slack)
        }
    }

    @Test func aChannelThatIsGoneLeavesAWarningOnTheConnection() async throws {
        try await Self.withSlack { harness, token, organization, slack in
            _ = try await harness.sync.sandbox.send(.DELETE, "/_admin/slack/channels/\(Self.channel)")
            try await Self.announceSyncFailure(harness, organization: organization, connection: slack)
            let id = try #require(UUID(uuidString: slack))
            let repository = ConnectionRepository(client: harness.postgres, logger: harness.sync.logger)
            let warned = try await Self.waitFor("the channel warning") {
                let current = try await repository.get(organization: organization, id: id)
                return current?.lastTestOK == false ? current : nil
            }
            #expect(warned.lastTestMessage?.contains("channel_not_found") == true, "\(warned.lastTestMessage ?? "")")
            #expect(warned.status == .connected, "a missing channel is not a lost authorization")
        }
    }

    @Test func theSandboxRateLimitsEachChannel() async throws {
        try await Self.withSlack { harness, _, _, _ in
            let bot = try await Self.installBot(harness.sync.service.sandboxURL)
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<2 {
                var request = HTTPClientRequest(url: "\(harness.sync.service.sandboxURL)/slack/api/chat.postMessage")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(bot)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: #"{"channel":"C0000000001","text":"hello"}"#))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                statuses.append(Int(response.status.code))
                retryAfter = response.headers.first(name: "Retry-After") ?? retryAfter
                _ = try await response.body.collect(upTo: 1 << 20)
            }
            #expect(statuses == [200, 429])
            #expect(retryAfter == "1")
        }
    }

    @Test func slackEventsAreVerifiedOnTheRawBodyAndAnUninstallMarksTheConnection() async throws {
        try await Self.withSlack(environment: ["HUB_PROVIDER_SLACK_WEBHOOK_SECRET": "slack-sandbox-signing-secret"]) {
            harness,
            _,
            organization,
            slack in
            try await harness.register("slack", path: "/webhooks/slack")
            func send(_ json: String) async throws -> (sent: JSONValue, answer: JSONValue?) {
                let reply = try await harness.sync.sandbox.send(.POST, "/_admin/slack/events", json: json).json
                return (reply["request"] ?? .null, reply["answers"]?.arrayValue?.first)
            }
            let check = try await send(#"{"type":"url_verification"}"#)
            let sentBody = try JSONDecoder().decode(JSONValue.self, from: Data((check.sent["body"]?.stringValue ?? "").utf8))
            let challenge = try #require(sentBody["challenge"]?.stringValue)
            #expect(check.answer?["status"]?.intValue == 200)
            let echoed = try JSONDecoder().decode(JSONValue.self, from: Data((check.answer?["body"]?.stringValue ?? "").utf8))
            #expect(echoed["challenge"]?.stringValue == challenge, "the challenge answered: \(echoed)")

            for signature in ["tampered", "stale"] {
                let refused = try await send(#"{"type":"app_uninstalled","signature":"\#(signature)"}"#)
                #expect(refused.answer?["status"]?.intValue == 401, "\(signature): \(refused.answer ?? .null)")
            }
            let id = try #require(UUID(uuidString: slack))
            let repository = ConnectionRepository(client: harness.postgres, logger: harness.sync.logger)
            #expect(try await repository.get(organization: organization, id: id)?.status == .connected, "refused events changed nothing")

            let uninstalled = try await send(#"{"type":"app_uninstalled"}"#)
            #expect(uninstalled.answer?["status"]?.intValue == 200)
            let events = try await harness.waitForProcessing(connection: slack, count: 1)
            #expect(events.map(\.type) == ["app_uninstalled"])
            let marked = try #require(try await repository.get(organization: organization, id: id))
            #expect(marked.status == .reauthRequired)
            #expect(marked.statusReason?.contains("uninstalled") == true)
        }
    }

    /// Announces a failed sync of the Slack connection itself, as the sync outbox would.
    static func announceSyncFailure(_ harness: InboundHarness, organization: UUID, connection: String) async throws {
        let events = EventStore(client: harness.postgres, logger: harness.sync.logger)
        _ = try await events.accept(
            EventStore.NewEvent(
                organizationID: organization,
                type: "sync.failed",
                data: ["connection_id": .string(connection), "entity": "channels", "status": "failed", "reason": "test"],
                source: .hub
            )
        )
    }
}
