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
    /// The org of an access token the OAuth server did not issue but the identity endpoints
    /// accept: the data API's own (its seeded token, and orgs made through its admin API).
    var additionalTokens: @Sendable (String) -> SandboxOAuthAccount? = { _ in nil }

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("services/oauth2/authorize") { request, _ in
            try server.authorizeResponse(.query(of: request))
        }
        group.post("services/oauth2/token") { request, context in
            try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
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
            guard let account = caller(request) else { return Self.badOAuthToken() }
            return OAuthHTTP.json(Self.userInfo(account, base: OAuthHTTP.baseURL(of: request, provider: server.profile.id)))
        }
        group.get("id/:org/:user") { request, context in
            guard let account = caller(request), try context.parameters.require("org") == account.id else {
                return Self.badOAuthToken()
            }
            var answer = Self.userInfo(account, base: OAuthHTTP.baseURL(of: request, provider: server.profile.id))
            answer["id"] = answer["sub"]
            answer["username"] = answer["preferred_username"]
            return OAuthHTTP.json(answer)
        }
    }

    /// `services/oauth2/token`: Basic or body credentials, PKCE public clients; no `expires_in`, the
    /// identity URL and its signature, and a refresh token from a refresh only under rotation.
    static let tokenEndpoint = TokenEndpoint(
        clients: .basicOrBody,
        publicClientsWithPKCE: true,
        answer: [.accessToken, .tokenType("Bearer"), .scope, .custom(identity), .custom(refreshTokenUnderRotation)]
    )

    /// `instance_url`, `id`, `issued_at` (ms) and `signature`.
    static func identity(_ grant: TokenGrant) -> [String: Any] {
        let access = grant.issued.access
        let base = OAuthHTTP.baseURL(of: grant.request, provider: grant.server.profile.id)
        let identity = identityURL(base: base, account: access.account)
        let issuedAt = String(Int64(access.issuedAt.timeIntervalSince1970 * 1000))
        let secret = grant.server.client(id: access.clientID)?.secret ?? ""
        return [
            "instance_url": base, "id": identity, "issued_at": issuedAt,
            "signature": signature(id: identity, issuedAt: issuedAt, secret: secret),
        ]
    }

    /// `refresh_token` after a code exchange, and after a refresh only when refresh tokens rotate.
    static func refreshTokenUnderRotation(_ grant: TokenGrant) -> [String: Any] {
        let server = grant.server
        guard grant.grantType == "authorization_code" || server.settings.rotation(for: server.profile) != .none,
            let refresh = grant.issued.refresh
        else { return [:] }
        return ["refresh_token": refresh.value]
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

    func caller(_ request: Request) -> SandboxOAuthAccount? {
        guard let token = PresentedClient.bearer(request) else { return nil }
        return server.validate(token)?.account ?? additionalTokens(token)
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

    static func userInfo(_ account: SandboxOAuthAccount, base: String) -> [String: Any] {
        let username = account.details["username"] ?? "sandbox.user@example.com"
        return [
            "sub": identityURL(base: base, account: account), "user_id": account.userID ?? "", "organization_id": account.id,
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
