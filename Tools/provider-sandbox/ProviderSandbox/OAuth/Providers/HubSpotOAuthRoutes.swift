import Foundation
import Hummingbird

/// HubSpot's OAuth endpoints (the v1 API the hub's definition names).
///
/// - `GET /hubspot/oauth/authorize` (app.hubspot.com): space-separated `scope`, plus `optional_scope`.
/// - `POST /hubspot/oauth/v1/token` (api.hubapi.com): form body with `client_id` / `client_secret`;
///   refresh tokens are returned unchanged (no rotation). Errors carry both the standard
///   `error` / `error_description` and HubSpot's `status` / `message`.
/// - `GET /hubspot/oauth/v1/access-tokens/{token}`: the token's portal (`hub_id`), user and scopes.
/// - `GET|DELETE /hubspot/oauth/v1/refresh-tokens/{token}`: its metadata, or revoke it (and the grant).
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
            let body = try await FormParameters.body(of: request, context: context)
            let client = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .body))
            let issued: SandboxTokenStore.Issued
            switch body["grant_type"] {
            case "authorization_code":
                issued = try server.exchange(
                    code: body.nonEmpty("code"), client: client, redirectURI: body["redirect_uri"], codeVerifier: nil)
            case "refresh_token":
                issued = try server.refresh(body.nonEmpty("refresh_token"), client: client)
            case let other:
                throw server.failure(.unsupportedGrantType(other ?? ""))
            }
            var answer: [String: Any] = [
                "token_type": "bearer", "access_token": issued.access.value, "expires_in": issued.access.secondsLeft() ?? 1800,
            ]
            answer["refresh_token"] = issued.refresh?.value
            return OAuthHTTP.json(answer)
        }
        group.get("oauth/v1/access-tokens/:token") { _, context in
            let token = try context.parameters.require("token")
            guard let info = server.tokens.lookup(provider: server.profile.id, value: token), info.kind == .access else {
                return Self.error(.notFound, message: "Token not found", category: "OBJECT_NOT_FOUND")
            }
            guard info.isUsable() else {
                return Self.error(
                    .unauthorized, message: "The OAuth token used to make this call expired or was revoked.",
                    category: "EXPIRED_AUTHENTICATION")
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

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = OAuthHTTP.json(
                [
                    "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
                    "correlationId": UUID().uuidString.lowercased(), "policyName": "TEN_SECONDLY_ROLLING",
                ], status: .tooManyRequests)
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
            ["status": "error", "message": message, "correlationId": UUID().uuidString.lowercased(), "category": category], status: status)
    }

    static func metadata(_ info: TokenInfo) -> [String: Any] {
        [
            "token": info.value, "user": info.account.details["user"] ?? "", "hub_domain": info.account.name,
            "scopes": info.scopes, "hub_id": Int(info.account.id) ?? 0, "user_id": Int(info.account.userID ?? "") ?? 0,
        ]
    }
}
