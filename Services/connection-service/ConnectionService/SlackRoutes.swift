import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubWebhooks
import Hummingbird

/// `…/connections/{id}/slack/…` for a Slack connection:
///
/// - `GET channels?cursor=&limit=`: one page of the channels the bot can post to
///   (`conversations.list`, Slack's own cursor passed through as `next_cursor`);
/// - `GET|PUT|DELETE notifications`: the channel and hub event types the connection announces
///   (by default what needs attention: `connection.reauth_required`, `sync.failed`,
///   `webhook_endpoint.disabled`). webhook-service posts them as durable deliveries. A channel is
///   saved only when Slack's `conversations.info` finds one the bot can post to.
struct SlackRoutes {
    let lifecycle: ConnectionLifecycle
    let lookup: ConnectionLookup
    let notifications: SubscriptionRepository
    let catalog: EventCatalog

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("channels") { request, context -> SlackChannelList in
            let connection = try await slackConnection(context)
            let query = request.uri.queryParameters
            var limit = 200
            if let text = query["limit"].map(String.init) {
                guard let value = Int(text), (1...1000).contains(value) else { throw APIError.validation("limit must be 1 to 1000", field: "limit") }
                limit = value
            }
            let cursor = query["cursor"].map(String.init)
            switch try await connector(connection, context).channels(cursor: cursor, limit: limit) {
            case .ok(let page):
                return SlackChannelList(data: page.channels, nextCursor: page.nextCursor)
            case .refused(let code):
                throw try await refusal(code, connection: connection, context: context)
            }
        }
        group.get("notifications") { _, context -> SlackNotification in
            let connection = try await slackConnection(context)
            guard let notification = try await notifications.slackNotification(organization: connection.organizationID, connection: connection.id)
            else {
                throw APIError.notFound("Slack notification settings")
            }
            return notification
        }
        group.put("notifications") { request, context -> SlackNotification in
            let connection = try await slackConnection(context)
            try ConnectionLookup.requireLive(connection)
            let body = try await request.decodeJSON(as: SlackNotificationRequest.self, context: context)
            let channel = body.channel.trimmingWhitespace()
            guard channel.range(of: #"^[CGD][A-Z0-9]{2,}$"#, options: .regularExpression) != nil else {
                throw APIError.validation("channel must be a Slack channel id (C…, G…), as GET …/slack/channels lists them", field: "channel")
            }
            let types = body.eventTypes ?? SlackNotification.defaultEventTypes
            guard !types.isEmpty else { throw APIError.validation("event_types must name at least one event type", field: "event_types") }
            for type in types where catalog.type(named: type) == nil {
                throw APIError.validation(
                    "'\(type.excerpt())' is not an event type the hub delivers (GET /api/v1/integrations/webhooks/event-types)",
                    field: "event_types"
                )
            }
            // Slack itself says whether the bot can post there: an id that only looks right would
            // be saved and then fail at every notification.
            switch try await connector(connection, context).channel(id: channel) {
            case .ok:
                break
            case .refused(let code) where SlackConnector.channelErrors.contains(code):
                throw APIError.validation(
                    "Slack has no channel \(channel) the hub's bot can post to (\(code)); pick one GET …/slack/channels lists",
                    field: "channel"
                )
            case .refused(let code):
                throw try await refusal(code, connection: connection, context: context)
            }
            return try await notifications.configureSlack(
                by: try context.auditActor(),
                connection: connection.id,
                channel: channel,
                eventTypes: Array(Set(types)).sorted()
            )
        }
        group.delete("notifications") { _, context -> Response in
            let connection = try await slackConnection(context)
            guard try await notifications.removeSlack(by: try context.auditActor(), connection: connection.id) else {
                throw APIError.notFound("Slack notification settings")
            }
            return Response(status: .noContent)
        }
    }

    /// The caller's connection, which must be a Slack one (another provider's has no channels: 404).
    func slackConnection(_ context: HubRequestContext) async throws -> Connection {
        let connection = try await lookup.connection(context)
        guard connection.provider == SlackConnector.definition.id else { throw APIError.notFound("Slack connection") }
        return connection
    }

    /// The connection's Slack connector, with a fresh token.
    func connector(_ connection: Connection, _ context: HubRequestContext) async throws -> SlackConnector {
        let fields = try await lifecycle.tokens.freshCredentials(for: connection, actor: try context.auditActor().subject)
        guard let connector = lifecycle.factory.connector(provider: connection.provider, credentials: fields.values) as? SlackConnector else {
            throw APIError.notFound("connection")
        }
        return connector
    }

    /// The API error for Slack's `"ok": false`; a dead token also marks the connection.
    func refusal(_ code: String, connection: Connection, context: HubRequestContext) async throws -> APIError {
        if SlackConnector.reauthorizationErrors.contains(code) {
            let reason = "Slack refused the token: \(code)"
            try await lifecycle.requireReauthorization(connection, reason: reason, actor: try context.auditActor().subject)
            return APIError.conflict("\(reason); authorize the connection again", code: "reauth_required")
        }
        return APIError(.unprocessableContent, code: "provider_refused", message: "Slack refused the request: \(code)")
    }
}

/// `PUT …/slack/notifications`.
struct SlackNotificationRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["channel", "event_types"]

    var channel: String
    var eventTypes: [String]?

    enum CodingKeys: String, CodingKey {
        case channel
        case eventTypes = "event_types"
    }
}

/// A page of the channel picker.
struct SlackChannelList: ResponseEncodable, Encodable {
    var data: [SlackConnector.Channel]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}
