import Foundation
import Hummingbird

/// HubSpot's OAuth endpoints: the v3 API the hub uses, and the v1 API HubSpot retires on
/// 16 February 2027 (kept for clients that have not moved).
///
/// - `GET /hubspot/oauth/authorize` (app.hubspot.com): space-separated `scope`, plus `optional_scope`.
/// - `POST /hubspot/oauth/v3/token` (api.hubapi.com; also at the date-versioned
///   `/oauth/2026-03/token`): form body with `client_id` / `client_secret`; refresh tokens are
///   returned unchanged (no rotation). The answer adds `token_use`, `hub_id`, `user_id` and the
///   granted `scopes` to the standard fields.
/// - `POST /hubspot/oauth/v3/token/introspect`: form `token` (+ client); `{"active": true, …}` with
///   `hub_id`, `hub_domain`, `user`, `scopes`, `client_id`, or `{"active": false}` for a token that
///   is unknown, expired, revoked or another app's (RFC 7662).
/// - `POST /hubspot/oauth/v3/token/revoke`: form `token` (a refresh token) + client; revokes the
///   grant. 200 also for a token it does not know, as RFC 7009 asks.
/// - v1: `POST /hubspot/oauth/v1/token`, `GET /hubspot/oauth/v1/access-tokens/{token}` (portal, user,
///   scopes), `GET|DELETE /hubspot/oauth/v1/refresh-tokens/{token}` (metadata, or revoke).
///
/// Errors carry both the standard `error` / `error_description` and HubSpot's `status` / `message`.
public struct HubSpotOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("oauth/authorize") { request, _ in
            try server.authorizeResponse(.query(of: request))
        }
        group.post("oauth/v1/token") { request, context in
            try await server.token(request, context: context, endpoint: Self.v1TokenEndpoint)
        }
        for version in Self.currentVersions {
            group.post("oauth/\(version)/token") { request, context in
                try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
            }
            group.post("oauth/\(version)/token/introspect") { request, context in
                let body = try await FormParameters.body(of: request, context: context)
                let client = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .body))
                guard let token = body.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
                // The data API's seeded token reaches the seeded portal (no OAuth dance in tests).
                if token == HubSpotProvider.seededToken {
                    return OAuthHTTP.json([
                        "active": true, "hub_id": Int(HubSpotProvider.seededPortalID) ?? 0, "hub_domain": "hub-sandbox.hubspot.com",
                        "client_id": client.id, "token_type": "access", "token_use": "access_token", "expires_in": 1800,
                    ])
                }
                guard let info = server.tokens.lookup(provider: server.profile.id, value: token), info.isUsable(),
                    info.clientID == client.id
                else {
                    return OAuthHTTP.json(["active": false])
                }
                var answer = Self.metadata(info)
                answer["active"] = true
                answer["client_id"] = info.clientID
                answer["app_id"] = Int(info.account.details["app_id"] ?? "") ?? 0
                answer["token_type"] = info.kind == .access ? "access" : "refresh"
                answer["token_use"] = info.kind == .access ? "access_token" : "refresh_token"
                answer["is_private_distribution"] = false
                if info.kind == .access { answer["expires_in"] = info.secondsLeft() ?? 0 }
                return OAuthHTTP.json(answer)
            }
            group.post("oauth/\(version)/token/revoke") { request, context in
                let body = try await FormParameters.body(of: request, context: context)
                let client = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .body))
                guard let token = body.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
                if let info = server.tokens.lookup(provider: server.profile.id, value: token), info.kind == .refresh,
                    info.clientID == client.id
                {
                    server.revoke(token)
                }
                return OAuthHTTP.empty()
            }
        }
        group.get("oauth/v1/access-tokens/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let info = server.tokens.lookup(provider: server.profile.id, value: token), info.kind == .access else {
                return Self.error(.notFound, message: "Token not found", category: "OBJECT_NOT_FOUND")
            }
            guard info.isUsable() else {
                return Self.error(
                    .unauthorized,
                    message: "The OAuth token used to make this call expired or was revoked.",
                    category: "EXPIRED_AUTHENTICATION"
                )
            }
            var answer = Self.metadata(info)
            answer["expires_in"] = info.secondsLeft() ?? 0
            answer["app_id"] = Int(info.account.details["app_id"] ?? "") ?? 0
            answer["token_type"] = "access"
            return OAuthHTTP.json(answer)
        }
        group.get("oauth/v1/refresh-tokens/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let info = server.tokens.lookup(provider: server.profile.id, value: token), info.kind == .refresh, info.isUsable() else {
                throw server.failure(.unknownRefreshToken)
            }
            var answer = Self.metadata(info)
            answer["client_id"] = info.clientID
            answer["token_type"] = "refresh"
            return OAuthHTTP.json(answer)
        }
        group.delete("oauth/v1/refresh-tokens/:token") { _, context in
            let token = try context.parameters.require("token")
            guard server.tokens.lookup(provider: server.profile.id, value: token)?.kind == .refresh, server.revoke(token) else {
                throw server.failure(.unknownRefreshToken)
            }
            return Response(status: .noContent)
        }
    }

    /// The current API's path versions: `v3` and the date-versioned alias HubSpot documents.
    static let currentVersions = ["v3", "2026-03"]

    /// v1's token endpoint: client in the body; the standard fields.
    static let v1TokenEndpoint = TokenEndpoint(
        clients: .body,
        answer: [.tokenType("bearer"), .accessToken, .expiresIn(fallback: 1800), .refreshToken]
    )

    /// The current token endpoint: v1's, plus `token_use`, `hub_id`, `user_id` and `scopes`.
    static let tokenEndpoint = TokenEndpoint(
        clients: .body,
        answer: v1TokenEndpoint.answer + [
            .custom { grant in
                let access = grant.issued.access
                return [
                    "token_use": "access_token", "hub_id": Int(access.account.id) ?? 0, "user_id": Int(access.account.userID ?? "") ?? 0,
                    "scopes": access.scopes,
                ]
            }
        ]
    )

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = OAuthHTTP.json(
                [
                    "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
                    "correlationId": UUID().uuidString.lowercased(), "policyName": "TEN_SECONDLY_ROLLING",
                ],
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(Int(seconds.rounded(.up)))
            return response
        case .serverError:
            return Self.error(.internalServerError, message: "internal error", category: "INTERNAL_ERROR")
        case .unauthorized:
            return Self.error(.unauthorized, message: "Authentication credentials not found.", category: "INVALID_AUTHENTICATION")
        }
    }

    /// HubSpot's API error shape.
    static func error(_ status: HTTPResponse.Status, message: String, category: String) -> Response {
        OAuthHTTP.json(
            ["status": "error", "message": message, "correlationId": UUID().uuidString.lowercased(), "category": category],
            status: status
        )
    }

    static func metadata(_ info: TokenInfo) -> [String: Any] {
        [
            "token": info.value, "user": info.account.details["user"] ?? "", "hub_domain": info.account.name,
            "scopes": info.scopes, "hub_id": Int(info.account.id) ?? 0, "user_id": Int(info.account.userID ?? "") ?? 0,
        ]
    }
}
