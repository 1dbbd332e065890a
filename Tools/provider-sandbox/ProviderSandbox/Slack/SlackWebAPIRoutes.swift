import Foundation
import Hummingbird

/// Slack Web API methods on the seeded workspaces, mounted at `/slack/api`. As at slack.com,
/// arguments come as a form, a query or (for POST) JSON; the token as `Authorization: Bearer` or
/// `token`; every failure but a rate limit is HTTP 200 `{"ok": false, "error": "…"}`.
///
/// - `chat.postMessage`: `channel` (id or name), `text` and/or `blocks`; per-channel rate limit
///   (429 `ratelimited`, `Retry-After`); `channel_not_found`, `no_text`, token errors.
/// - `conversations.list`: `types`, `limit` (1–1000, default 100), `cursor`, `exclude_archived`;
///   `response_metadata.next_cursor` is empty on the last page; `invalid_cursor`.
/// - `conversations.info`: `channel` (an id); `channel_not_found` for an unknown id and for a
///   private channel the bot is not in; an archived channel is found, with `is_archived`.
struct SlackWebAPIRoutes {
    let provider: SlackProvider

    func add(to group: RouterGroup<SandboxContext>) {
        let post: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let call = try await authorize(request, context: context)
            guard case .caller(let team, let bot, let fields) = call else { return call.response }
            guard let channel = fields["channel"] as? String, !channel.isEmpty else { return SlackOAuthRoutes.error("channel_not_found") }
            let text = fields["text"] as? String ?? ""
            guard !text.isEmpty || fields["blocks"] != nil || fields["attachments"] != nil else { return SlackOAuthRoutes.error("no_text") }
            var message = fields
            if let blocks = fields["blocks"] as? String {
                // Form-encoded blocks are a JSON string, as Slack accepts them.
                guard let parsed = try? JSONSerialization.jsonObject(with: Data(blocks.utf8)), parsed is [Any] else {
                    return SlackOAuthRoutes.error("invalid_blocks")
                }
                message["blocks"] = parsed
            }
            switch provider.workspaces.post(team, channel: channel, botUser: bot, fields: message) {
            case .posted(let ts, let posted):
                return OAuthHTTP.json(["ok": true, "channel": posted["channel"] ?? channel, "ts": ts, "message": posted])
            case .refused(let error):
                return SlackOAuthRoutes.error(error)
            case .rateLimited(let seconds):
                return OAuthHTTP.json(["ok": false, "error": "ratelimited"], status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
            }
        }
        group.post("chat.postMessage", use: post)
        let list: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let call = try await authorize(request, context: context)
            guard case .caller(let team, _, let fields) = call else { return call.response }
            let types = Set(((fields["types"] as? String) ?? "public_channel").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let limit = max(1, min(1000, Int(fields["limit"] as? String ?? "") ?? (fields["limit"] as? Int) ?? 100))
            let exclude = fields["exclude_archived"]
            let excludeArchived = (exclude as? String).map { $0 == "true" || $0 == "1" } ?? (exclude as? Bool ?? false)
            let channels = provider.workspaces.visibleChannels(team, types: types, excludeArchived: excludeArchived)
            var start = 0
            if let cursor = fields["cursor"] as? String, !cursor.isEmpty {
                guard let id = Self.decodeCursor(cursor), let index = channels.firstIndex(where: { $0.id == id }) else {
                    return SlackOAuthRoutes.error("invalid_cursor")
                }
                start = index
            }
            let page = Array(channels[start..<min(channels.count, start + limit)])
            let next = start + limit < channels.count ? Self.encodeCursor(channels[start + limit].id) : ""
            return OAuthHTTP.json(["ok": true, "channels": page.map(\.json), "response_metadata": ["next_cursor": next]])
        }
        group.post("conversations.list", use: list)
        group.get("conversations.list", use: list)
        let info: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let call = try await authorize(request, context: context)
            guard case .caller(let team, _, let fields) = call else { return call.response }
            guard let id = fields["channel"] as? String, let channel = provider.workspaces.channel(team, id: id) else {
                return SlackOAuthRoutes.error("channel_not_found")
            }
            return OAuthHTTP.json(["ok": true, "channel": channel.json])
        }
        group.post("conversations.info", use: info)
        group.get("conversations.info", use: info)
    }

    enum Call {
        case caller(team: String, bot: String, fields: [String: Any])
        case refused(Response)

        var response: Response {
            if case .refused(let response) = self { return response }
            return SlackOAuthRoutes.error("internal_error")
        }
    }

    /// The calling token's team and bot, and the call's arguments (query, form or JSON body).
    func authorize(_ request: Request, context: SandboxContext) async throws -> Call {
        var fields: [String: Any] = [:]
        for (name, value) in FormParameters.query(of: request).pairs { fields[name] = value }
        var bearer = PresentedClient.bearer(request)
        if request.method == .post {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            let bytes = Data(buffer.readableBytesView)
            if request.headers[.contentType]?.lowercased().contains("json") == true {
                guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
                    return .refused(SlackOAuthRoutes.error("invalid_json"))
                }
                fields.merge(object) { _, new in new }
            } else {
                for (name, value) in FormParameters(encoded: String(decoding: bytes, as: UTF8.self)).pairs { fields[name] = value }
            }
        }
        if bearer == nil, let token = fields["token"] as? String, !token.isEmpty { bearer = token }
        if let problem = provider.oauth.problem(with: bearer) { return .refused(SlackOAuthRoutes.error(problem)) }
        guard let bearer, let info = provider.oauth.server.validate(bearer) else { return .refused(SlackOAuthRoutes.error("invalid_auth")) }
        return .caller(team: info.account.id, bot: info.account.details["bot_user_id"] ?? "", fields: fields)
    }

    /// Slack's cursors are opaque base64 (`dGVhbTpD…`); here `channel:<id>` encoded.
    static func encodeCursor(_ id: String) -> String {
        Data("channel:\(id)".utf8).base64EncodedString()
    }

    static func decodeCursor(_ cursor: String) -> String? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("channel:") else { return nil }
        return String(text.dropFirst("channel:".count))
    }
}
