import Foundation
import Hummingbird

/// Slack's OAuth v2 (bot install) and the token methods of its Web API. Every Web API answer is
/// HTTP 200 with `ok`; errors are `{"ok": false, "error": "…"}`.
///
/// - `GET /slack/oauth/v2/authorize` (slack.com): comma-separated `scope` (and `user_scope`).
/// - `POST /slack/api/oauth.v2.access`: form or JSON, client by Basic or in the body. Without token
///   rotation (the default, as the hub's app) the bot token never expires and no refresh token is
///   issued; with `token_rotation` on (admin setting) tokens last 12 h and `grant_type=refresh_token`
///   redeems a single-use refresh token.
/// - `GET|POST /slack/api/auth.revoke`: revokes the calling token (`test=1` only checks it).
/// - `GET|POST /slack/api/auth.test`: who the token is (team, bot user).
public struct SlackOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("oauth/v2/authorize") { request, _ in
            try server.authorizeResponse(.query(of: request))
        }
        group.post("api/oauth.v2.access") { request, context in
            try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
        }
        let revoke: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let (token, parameters) = try await Self.callerToken(request, context: context)
            if let problem = problem(with: token) { return Self.error(problem) }
            let test = ["1", "true"].contains(parameters["test"] ?? "")
            if !test, let token { server.revoke(token) }
            return OAuthHTTP.json(["ok": true, "revoked": !test])
        }
        group.post("api/auth.revoke", use: revoke)
        group.get("api/auth.revoke", use: revoke)
        let test: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let (token, _) = try await Self.callerToken(request, context: context)
            if let problem = problem(with: token) { return Self.error(problem) }
            guard let token, let info = server.validate(token) else { return Self.error("invalid_auth") }
            let domain = info.account.details["domain"] ?? "sandbox"
            return OAuthHTTP.json([
                "ok": true, "url": "https://\(domain).slack.com/", "team": info.account.name, "user": "hub-sandbox-bot",
                "team_id": info.account.id, "user_id": info.account.details["bot_user_id"] ?? "",
                "bot_id": info.account.details["bot_id"] ?? "", "is_enterprise_install": false,
            ])
        }
        group.post("api/auth.test", use: test)
        group.get("api/auth.test", use: test)
    }

    /// `oauth.v2.access`: Basic or body credentials, the code exchange when no grant is named, and
    /// expiring tokens only under token rotation; the install's team, app and bot user.
    static let tokenEndpoint = TokenEndpoint(
        clients: .basicOrBody,
        defaultGrantType: "authorization_code",
        exchangeExpires: { $0.tokenRotation == true },
        answer: [
            .scope, .tokenType("bot"), .accessToken, .expiresIn(fallback: nil), .refreshToken,
            .custom { grant in
                let account = grant.issued.access.account
                return [
                    "ok": true, "app_id": account.details["app_id"] ?? "", "authed_user": ["id": account.userID ?? ""],
                    "bot_user_id": account.details["bot_user_id"] ?? "", "team": ["id": account.id, "name": account.name],
                    "enterprise": NSNull(), "is_enterprise_install": false,
                ]
            },
        ]
    )

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = OAuthHTTP.json(["ok": false, "error": "ratelimited"], status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(seconds.rounded(.up)))
            return response
        case .serverError:
            return OAuthHTTP.json(["ok": false, "error": "internal_error"], status: .internalServerError)
        case .unauthorized:
            return Self.error("invalid_auth")
        }
    }

    /// The token a Web API call carries: `Authorization: Bearer`, else `token` in the body or query.
    static func callerToken(_ request: Request, context: SandboxContext) async throws -> (String?, FormParameters) {
        var parameters = FormParameters.query(of: request)
        if request.method == .post {
            parameters = FormParameters(pairs: try await FormParameters.body(of: request, context: context).pairs + parameters.pairs)
        }
        return (PresentedClient.bearer(request) ?? parameters.nonEmpty("token"), parameters)
    }

    /// Slack's error for an unusable token, or nil when the token is usable.
    func problem(with token: String?) -> String? {
        guard let token else { return "not_authed" }
        guard let info = server.tokens.lookup(provider: server.profile.id, value: token), info.kind == .access else {
            return "invalid_auth"
        }
        if info.revoked { return "token_revoked" }
        if info.isExpired() { return "token_expired" }
        return nil
    }

    static func error(_ name: String) -> Response {
        OAuthHTTP.json(["ok": false, "error": name])
    }
}
