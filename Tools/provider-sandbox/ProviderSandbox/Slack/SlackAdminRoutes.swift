import Foundation
import Hummingbird

/// `/_admin/slack/…`, beside the OAuth server's own admin routes (`oauth/tokens/revoke` revokes a
/// token as a user removing the app would):
///
/// - `GET /messages?channel=C…`: what was posted, oldest first (every channel without `channel`).
/// - `POST /channels` `{"name": "…", "is_private": false, "is_member": true, "is_archived": false}`:
///   adds a channel.
/// - `DELETE /channels/{id}`: deletes a channel; posting to it answers `channel_not_found`.
/// - `POST /events` `{"type": "url_verification" | "app_uninstalled" | "tokens_revoked",
///   "signature": "valid" | "tampered" | "stale", "send": true}`: signs an Events API request and
///   sends it to the endpoints registered for `slack`; answers each endpoint's status and body,
///   and the request itself (`headers`, `body`), which `"send": false` only shows.
/// - `DELETE /data`: forgets messages and channels; the workspace is seeded again when next used.
struct SlackAdminRoutes {
    let provider: SlackProvider

    /// The sandbox's one Slack workspace (every install is into it).
    var team: String { provider.oauth.server.account.id }

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("messages") { request, _ in
            let channel = FormParameters.query(of: request).nonEmpty("channel")
            let messages = provider.workspaces.messages(team, channel: channel).compactMap { try? JSONSerialization.jsonObject(with: $0) }
            return OAuthHTTP.json(["messages": messages])
        }
        group.post("channels") { request, context in
            let body = Data(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let name = object["name"] as? String else {
                return OAuthHTTP.json(["error": "a JSON body with name is required"], status: .badRequest)
            }
            let channel = provider.workspaces.addChannel(
                team,
                name: name,
                isPrivate: object["is_private"] as? Bool ?? false,
                isMember: object["is_member"] as? Bool ?? true,
                isArchived: object["is_archived"] as? Bool ?? false
            )
            return OAuthHTTP.json(["channel": channel.json], status: .created)
        }
        group.delete("channels/:id") { _, context in
            let id = try context.parameters.require("id")
            return OAuthHTTP.json(["deleted": provider.workspaces.removeChannel(team, id: id)])
        }
        group.post("events") { request, context in
            let body = Data(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
            let object = (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
            let type = object["type"] as? String ?? "app_uninstalled"
            guard ["url_verification", "app_uninstalled", "tokens_revoked"].contains(type) else {
                return OAuthHTTP.json(["error": "type must be url_verification, app_uninstalled or tokens_revoked"], status: .badRequest)
            }
            let account = provider.oauth.server.account
            let event = provider.events.body(
                type: type,
                team: account.id,
                appID: account.details["app_id"] ?? "",
                botUser: account.details["bot_user_id"] ?? "",
                challenge: UUID().uuidString
            )
            let signature = object["signature"] as? String ?? "valid"
            let now = Int(Date().timeIntervalSince1970)
            let signed = provider.events.sign(event, timestamp: signature == "stale" ? now - 600 : now, tamper: signature == "tampered")
            var answers: [SlackEventSender.Answer] = []
            if object["send"] as? Bool ?? true { answers = await provider.events.send(signed) }
            return OAuthHTTP.json([
                "request": [
                    "headers": Dictionary(signed.headers, uniquingKeysWith: { a, _ in a }), "body": String(decoding: signed.body, as: UTF8.self),
                ],
                "answers": answers.map { ["url": $0.url, "status": $0.status ?? 0, "body": $0.body] as [String: Any] },
            ])
        }
        group.delete("data") { _, _ in
            provider.workspaces.reset()
            return Response(status: .noContent)
        }
    }
}
