import Crypto
import Foundation
import Hummingbird

/// Salesforce's OAuth 2.0 web server flow and identity endpoints.
///
/// - `GET /salesforce/services/oauth2/authorize` (login.salesforce.com): PKCE (S256 implied).
/// - `POST /salesforce/services/oauth2/token`: form body, client in the body (or Basic); a PKCE
///   public client may omit the secret. The answer has `instance_url` (this sandbox's
///   `/salesforce` base), `id`, `issued_at` (ms), `signature` (base64 HMAC-SHA256 of `id` +
///   `issued_at` keyed with the client secret) and no `expires_in`. Refreshes return no new
///   refresh token unless rotation is switched on (`rotate_refresh_tokens`).
/// - `POST|GET /salesforce/services/oauth2/revoke` `token=…`: an access token ends its session, a
///   refresh token its grant; an unknown token is a 400.
/// - `GET /salesforce/services/oauth2/userinfo` and `GET /salesforce/id/{orgId}/{userId}`: who the
///   token belongs to; a bad token gets Salesforce's `403 Bad_OAuth_Token`.
public struct SalesforceOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("services/oauth2/authorize") { request, _ in
            try server.authorizeResponse(.query(of: request))
        }
        group.post("services/oauth2/token") { request, context in
            let body = try await FormParameters.body(of: request, context: context)
            let presented = PresentedClient(request: request, parameters: body, accepted: .basicOrBody)
            let issued: SandboxTokenStore.Issued
            switch body["grant_type"] {
            case "authorization_code":
                let isPublic = presented.secret == nil && body["code_verifier"] != nil
                let client = try server.authenticate(presented, allowPublic: isPublic)
                issued = try server.exchange(
                    code: body.nonEmpty("code"), client: client, redirectURI: body["redirect_uri"], codeVerifier: body["code_verifier"],
                    requireChallenge: isPublic)
            case "refresh_token":
                let client = try server.authenticate(presented, allowPublic: server.refreshMayOmitSecret(body["refresh_token"]))
                issued = try server.refresh(body.nonEmpty("refresh_token"), client: client)
            case let other:
                throw server.failure(.unsupportedGrantType(other ?? ""))
            }
            let base = OAuthHTTP.baseURL(of: request, provider: server.profile.id)
            let identity = Self.identityURL(base: base, account: issued.access.account)
            let issuedAt = String(Int64(issued.access.issuedAt.timeIntervalSince1970 * 1000))
            let secret = server.client(id: issued.access.clientID)?.secret ?? ""
            var answer: [String: Any] = [
                "access_token": issued.access.value, "instance_url": base, "id": identity, "token_type": "Bearer",
                "issued_at": issuedAt, "signature": Self.signature(id: identity, issuedAt: issuedAt, secret: secret),
                "scope": server.profile.scopeString(issued.access.scopes),
            ]
            if body["grant_type"] == "authorization_code" || server.settings.rotation(for: server.profile) != .none {
                answer["refresh_token"] = issued.refresh?.value
            }
            return OAuthHTTP.json(answer)
        }
        let revoke: @Sendable (Request, SandboxContext) async throws -> Response = { request, context in
            let parameters =
                request.method == .get ? FormParameters.query(of: request) : try await FormParameters.body(of: request, context: context)
            guard let token = parameters.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
            guard server.revoke(token) else { throw server.failure(.unknownToken) }
            return OAuthHTTP.empty()
        }
        group.post("services/oauth2/revoke", use: revoke)
        group.get("services/oauth2/revoke", use: revoke)
        group.get("services/oauth2/userinfo") { request, _ in
            guard let info = Self.caller(request, server: server) else { return Self.badOAuthToken() }
            return OAuthHTTP.json(Self.userInfo(info, base: OAuthHTTP.baseURL(of: request, provider: server.profile.id)))
        }
        group.get("id/:org/:user") { request, context in
            guard let info = Self.caller(request, server: server), try context.parameters.require("org") == info.account.id else {
                return Self.badOAuthToken()
            }
            var answer = Self.userInfo(info, base: OAuthHTTP.baseURL(of: request, provider: server.profile.id))
            answer["id"] = answer["sub"]
            answer["username"] = answer["preferred_username"]
            return OAuthHTTP.json(answer)
        }
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited:
            OAuthHTTP.json([["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]], status: .forbidden)
        case .serverError:
            OAuthHTTP.json([["message": "An unexpected error occurred.", "errorCode": "UNKNOWN_EXCEPTION"]], status: .internalServerError)
        case .unauthorized:
            OAuthHTTP.json([["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]], status: .unauthorized)
        }
    }

    static func caller(_ request: Request, server: OAuthServer) -> TokenInfo? {
        PresentedClient.bearer(request).flatMap { server.validate($0) }
    }

    static func identityURL(base: String, account: SandboxOAuthAccount) -> String {
        "\(base)/id/\(account.id)/\(account.userID ?? "")"
    }

    /// Salesforce's token signature: base64 HMAC-SHA256 over `id` + `issued_at` with the client secret.
    static func signature(id: String, issuedAt: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    static func badOAuthToken() -> Response {
        Response(status: .forbidden, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "Bad_OAuth_Token")))
    }

    static func userInfo(_ info: TokenInfo, base: String) -> [String: Any] {
        let username = info.account.details["username"] ?? "sandbox.user@example.com"
        return [
            "sub": identityURL(base: base, account: info.account), "user_id": info.account.userID ?? "", "organization_id": info.account.id,
            "preferred_username": username, "nickname": "sandbox.user", "name": "Sandbox User", "given_name": "Sandbox",
            "family_name": "User", "email": username, "email_verified": true, "zoneinfo": "America/Los_Angeles", "active": true,
            "user_type": "STANDARD", "language": "en_US", "locale": "en_US", "utcOffset": -28_800_000, "is_app_installed": true,
            "urls": [
                "rest": "\(base)/services/data/v{version}/", "sobjects": "\(base)/services/data/v{version}/sobjects/",
                "query": "\(base)/services/data/v{version}/query/",
            ],
        ]
    }
}
