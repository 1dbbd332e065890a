import AsyncHTTPClient
import Crypto
import Foundation
import HubCore
import NIOCore
import NIOHTTP1

/// Slack's Events API requests to the endpoints registered for `slack` (`PUT /_admin/webhooks/slack`):
/// `url_verification` with a challenge the endpoint must echo, and `event_callback`s
/// (`app_uninstalled`, `tokens_revoked`), each signed as Slack signs them: `X-Slack-Signature:
/// v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<body>")>` with `X-Slack-Request-Timestamp`.
struct SlackEventSender: Sendable {
    let secret: String
    let dispatcher: WebhookDispatcher

    /// A signed request, ready to send (or to show, for clients that verify it themselves).
    struct Signed: Sendable {
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// What one endpoint answered.
    struct Answer: Sendable {
        var url: String
        var status: Int?
        var body: String
    }

    /// The body of `type` for the workspace `team` (its app and bot user from the install).
    func body(type: String, team: String, appID: String, botUser: String, challenge: String) -> JSONValue {
        let now = Date().timeIntervalSince1970
        if type == "url_verification" {
            return ["token": "sandbox-verification-token", "challenge": .string(challenge), "type": "url_verification"]
        }
        var event: JSONValue = ["type": .string(type), "event_ts": .string(String(format: "%.6f", now))]
        if type == "tokens_revoked" {
            event = ["type": "tokens_revoked", "tokens": ["oauth": [], "bot": [.string(botUser)]], "event_ts": .string(String(format: "%.6f", now))]
        }
        return [
            "token": "sandbox-verification-token", "team_id": .string(team), "api_app_id": .string(appID), "event": event,
            "type": "event_callback", "event_id": .string("Ev" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).uppercased()),
            "event_time": .number(now.rounded(.down)),
            "authorizations": [["enterprise_id": .null, "team_id": .string(team), "user_id": .string(botUser), "is_bot": true]],
        ]
    }

    /// Signs `body` at `timestamp` (now unless given); `tamper` signs other bytes than those sent.
    func sign(_ body: JSONValue, timestamp: Int = Int(Date().timeIntervalSince1970), tamper: Bool = false) -> Signed {
        let bytes = body.encoded()
        let signed = tamper ? bytes + Array(" ".utf8) : bytes
        let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + signed, using: SymmetricKey(data: Array(secret.utf8)))
        return Signed(
            headers: [
                ("Content-Type", "application/json"), ("X-Slack-Request-Timestamp", String(timestamp)),
                ("X-Slack-Signature", "v0=" + Array(mac).hexString),
            ],
            body: bytes
        )
    }

    /// Posts `request` to every registered endpoint, recording it with the dispatcher's others.
    func send(_ request: Signed) async -> [Answer] {
        var answers: [Answer] = []
        for url in dispatcher.endpoints(for: "slack") {
            var outgoing = HTTPClientRequest(url: url)
            outgoing.method = .POST
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
            var answer = Answer(url: url, status: nil, body: "")
            if let response = try? await HTTPClient.shared.execute(outgoing, timeout: .seconds(10)) {
                answer.status = Int(response.status.code)
                if let bytes = try? await response.body.collect(upTo: 1 << 16) { answer.body = String(buffer: bytes) }
            }
            answers.append(answer)
        }
        return answers
    }
}
