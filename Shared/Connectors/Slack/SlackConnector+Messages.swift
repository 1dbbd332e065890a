import HubCore

/// The Web API methods notifications need: `chat.postMessage`, `conversations.list` (the picker)
/// and `conversations.info` (a chosen channel checked before it is saved).
///
/// Slack answers both HTTP 200 with `"ok": false` and an `error` code on failure; those codes come
/// back as `SlackAnswer.refused` so the caller decides what each means (a channel gone is a warning
/// on the connection, a revoked token a reauthorization). HTTP failures (429 with `Retry-After`,
/// 5xx, the network) stay `ConnectorError`s.
extension SlackConnector {
    /// Slack's answer to one Web API call.
    public enum SlackAnswer<Value: Sendable>: Sendable {
        case ok(Value)
        /// `"ok": false` with Slack's `error` code (`channel_not_found`, `token_revoked`, …).
        case refused(String)
    }

    /// A channel as the picker shows it.
    public struct Channel: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var isPrivate: Bool
        public var isMember: Bool

        enum CodingKeys: String, CodingKey {
            case id, name
            case isPrivate = "is_private"
            case isMember = "is_member"
        }
    }

    /// One page of `conversations.list` and the cursor of the next (nil at the end).
    public struct ChannelPage: Sendable, Codable, Equatable {
        public var channels: [Channel]
        public var nextCursor: String?
    }

    /// Slack's `error` codes after which the token will never work again: the connection needs a
    /// new authorization. (`token_expired` is not one: a rotating token is refreshed instead.)
    public static let reauthorizationErrors: Set<String> = ["invalid_auth", "not_authed", "token_revoked", "account_inactive"]
    /// Codes that mean the chosen channel cannot receive the bot's messages.
    public static let channelErrors: Set<String> = ["channel_not_found", "not_in_channel", "is_archived", "restricted_action"]

    /// Reads `ok: false` answers as data, not as thrown errors.
    static let webAPIWire: OAuthWire = {
        var wire = SlackConnector.oauthWire
        wire.failureInSuccess = { _ in nil }
        return wire
    }()

    /// `chat.postMessage` with Block Kit `blocks` and `text` (the notification fallback); the
    /// message's `ts` on success. Not idempotent at Slack: the transport must not repeat it.
    public func postMessage(channel: String, text: String, blocks: JSONValue) async throws(ConnectorError) -> SlackAnswer<String> {
        let answer = try await Self.webAPIWire.call(
            .POST,
            "\(context.baseURL)/chat.postMessage",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            json: ["channel": .string(channel), "text": .string(text), "blocks": blocks, "unfurl_links": false],
            entity: "messages",
            transport: context.transport,
            isIdempotent: false
        )
        if let error = Self.refusal(answer) { return .refused(error) }
        return .ok(answer["ts"]?.idText ?? "")
    }

    /// One page of the workspace's public and private channels the bot can see, unarchived.
    public func channels(cursor: String?, limit: Int) async throws(ConnectorError) -> SlackAnswer<ChannelPage> {
        var form: [(String, String)] = [("types", "public_channel,private_channel"), ("exclude_archived", "true"), ("limit", String(limit))]
        if let cursor, !cursor.isEmpty { form.append(("cursor", cursor)) }
        let answer = try await Self.webAPIWire.call(
            .POST,
            "\(context.baseURL)/conversations.list",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            form: form,
            entity: "channels",
            transport: context.transport,
            isIdempotent: true
        )
        if let error = Self.refusal(answer) { return .refused(error) }
        var channels: [Channel] = []
        if case .array(let items)? = answer["channels"] { channels = items.compactMap(Self.channel) }
        let next = answer["response_metadata"]?["next_cursor"]?.idText
        return .ok(ChannelPage(channels: channels, nextCursor: next?.isEmpty == false ? next : nil))
    }

    /// One channel by id (`conversations.info`). Slack finds an archived channel; the bot cannot
    /// post to it, so it comes back refused as `is_archived`, as `chat.postMessage` would answer.
    public func channel(id: String) async throws(ConnectorError) -> SlackAnswer<Channel> {
        let answer = try await Self.webAPIWire.call(
            .POST,
            "\(context.baseURL)/conversations.info",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            form: [("channel", id)],
            entity: "channels",
            transport: context.transport,
            isIdempotent: true
        )
        if let error = Self.refusal(answer) { return .refused(error) }
        guard let item = answer["channel"], let found = Self.channel(item) else { return .refused("channel_not_found") }
        if item["is_archived"] == .bool(true) { return .refused("is_archived") }
        return .ok(found)
    }

    /// A channel object of `conversations.list` or `conversations.info`.
    static func channel(_ item: JSONValue) -> Channel? {
        guard let id = item["id"]?.idText else { return nil }
        return Channel(
            id: id,
            name: item["name"]?.idText ?? id,
            isPrivate: item["is_private"] == .bool(true),
            isMember: item["is_member"] == .bool(true)
        )
    }

    /// Slack's `error` when the answer says `"ok": false`.
    static func refusal(_ answer: JSONValue) -> String? {
        guard answer["ok"] != .bool(true) else { return nil }
        return answer["error"]?.idText ?? "unknown_error"
    }
}
