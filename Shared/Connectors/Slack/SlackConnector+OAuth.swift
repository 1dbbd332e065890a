import HubCore

/// Slack's OAuth v2 quirks: comma-separated scopes, no PKCE, the client in the form body, a bot
/// token that does not expire (no refresh unless the app has token rotation), the workspace in the
/// exchange answer (`team.id`), and every failure as HTTP 200 with `"ok": false`.
extension SlackConnector: OAuthConnector, StandardOAuthFlow {
    public static let apiBaseURL = "https://slack.com/api"

    /// Slack `error` values after which the token (or the hub's client) will not work again.
    static let authenticationErrors: Set<String> = [
        "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "invalid_code", "invalid_refresh_token",
        "bad_client_secret", "invalid_client_id", "invalid_grant_type", "org_login_required", "ekm_access_denied",
    ]
    static let permissionErrors: Set<String> = ["missing_scope", "no_permission", "not_allowed_token_type", "access_denied"]
    static let outageErrors: Set<String> = ["internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .body,
        scopeSeparator: ",",
        accountAttribute: "team_id",
        failureInSuccess: { object in
            guard object["ok"] != .bool(true) else { return nil }
            let error = object["error"]?.idText ?? "unknown_error"
            if error == "ratelimited" { return .rateLimited(retryAfter: nil) }
            if SlackConnector.authenticationErrors.contains(error) { return .authenticationFailed("Slack refused the token: \(error)") }
            if SlackConnector.permissionErrors.contains(error) { return .permissionDenied("Slack: \(error)") }
            if SlackConnector.outageErrors.contains(error) { return .unavailable(status: 200, message: "Slack: \(error)") }
            return .validation(message: "Slack: \(error)", field: nil)
        }
    )

    /// The workspace and bot user from the `oauth.v2.access` answer.
    static func attributes(of response: OAuthTokenResponse, client: OAuthClientRegistration) throws(ConnectorError) -> [String: String] {
        var attributes: [String: String] = [:]
        attributes["team_id"] = response.string("id", in: "team")
        attributes["bot_user_id"] = response.string("bot_user_id")
        return attributes
    }

    /// `auth.test`: the workspace the token belongs to.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let answer = try await Self.oauthWire.call(
            .POST,
            "\(context.baseURL)/auth.test",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            entity: "auth.test",
            transport: context.transport,
            isIdempotent: true
        )
        guard let team = answer["team_id"]?.idText else { throw .invalidResponse("Slack's auth.test has no team_id") }
        return ConnectionCheck(accountID: team, accountName: answer["team"]?.idText)
    }

    /// `auth.revoke` with the bot token itself.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        let answer = try await Self.oauthWire.call(
            .POST,
            try revocationURL(),
            headers: OAuthWire.bearer(try context.credential("access_token")),
            entity: "auth.revoke",
            transport: context.transport,
            isIdempotent: true
        )
        return answer["revoked"] == .bool(true)
    }
}
