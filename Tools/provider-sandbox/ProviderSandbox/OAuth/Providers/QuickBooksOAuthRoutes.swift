import Foundation
import Hummingbird

/// Intuit's authorization server for QuickBooks Online, plus the company-info read the connector
/// uses to test a connection.
///
/// - `GET /quickbooks/connect/oauth2` (appcenter.intuit.com): redirects with `code`, `state`, `realmId`.
/// - `POST /quickbooks/oauth2/v1/tokens/bearer` (oauth.platform.intuit.com): form body, client by
///   HTTP Basic only; `authorization_code` (with `redirect_uri`) and `refresh_token`, which rotates.
///   Answers `token_type`, `access_token`, `expires_in`, `refresh_token`, `x_refresh_token_expires_in`.
/// - `POST /quickbooks/v2/oauth2/tokens/revoke` (developer.api.intuit.com): JSON `{"token": …}`
///   (access or refresh token) with Basic; disconnects the app, so every token of the grant dies.
/// - `GET /quickbooks/v3/company/{realmId}/companyinfo/{realmId}` (quickbooks.api.intuit.com): Bearer.
public struct QuickBooksOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer
    /// The realm of an access token the OAuth server did not issue but the company-info read
    /// accepts: the data API's own, made through its admin API.
    var additionalTokens: @Sendable (String) -> String? = { _ in nil }

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("connect/oauth2") { request, _ in
            try server.authorizeResponse(.query(of: request)) { _, account in [("realmId", account.id)] }
        }
        group.post("oauth2/v1/tokens/bearer") { request, context in
            try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
        }
        group.post("v2/oauth2/tokens/revoke") { request, context in
            let body = try await FormParameters.body(of: request, context: context)
            _ = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .basic))
            guard let token = body.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
            server.revoke(token)
            return OAuthHTTP.empty()
        }
        group.get("v3/company/:realm/companyinfo/:id") { request, context in
            guard let token = PresentedClient.bearer(request) else { return faultResponse(.unauthorized) }
            let info = server.validate(token)
            guard let tokenRealm = info?.account.id ?? additionalTokens(token) else { return faultResponse(.unauthorized) }
            let realm = try context.parameters.require("realm")
            guard realm == tokenRealm, try context.parameters.require("id") == realm else {
                return Self.fault(status: .forbidden, type: "AUTHORIZATION", code: "003100", message: "ApplicationAuthorizationFailed")
            }
            return OAuthHTTP.json([
                "CompanyInfo": [
                    "CompanyName": info?.account.name ?? "Sandbox Company", "LegalName": info?.account.name ?? "Sandbox Company", "Country": "US",
                    "domain": "QBO",
                    "sparse": false, "Id": realm, "SyncToken": "0",
                    "MetaData": ["CreateTime": "2024-01-02T09:00:00-08:00", "LastUpdatedTime": "2024-01-02T09:00:00-08:00"],
                ] as [String: Any],
                "time": OAuthHTTP.timestamp(Date()),
            ])
        }
    }

    /// `oauth2/v1/tokens/bearer`: Basic only; the refresh token's lifetime in `x_refresh_token_expires_in`.
    static let tokenEndpoint = TokenEndpoint(
        clients: .basic,
        answer: [
            .tokenType("bearer"), .accessToken, .expiresIn(fallback: 3600), .refreshToken,
            .refreshTokenExpiresIn(name: "x_refresh_token_expires_in", fallback: 8_726_400),
        ]
    )

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = Self.fault(status: .tooManyRequests, type: "SERVICE", code: "003001", message: "ThrottleExceeded")
            response.headers[.retryAfter] = String(Int(seconds.rounded(.up)))
            return response
        case .serverError:
            return Self.fault(
                status: .internalServerError,
                type: "SystemFault",
                code: "10000",
                message: "An application error has occurred"
            )
        case .unauthorized:
            return Self.fault(status: .unauthorized, type: "AUTHENTICATION", code: "003200", message: "AuthenticationFailed")
        }
    }

    /// Intuit's fault envelope (lower-case keys, as Intuit writes authentication faults).
    static func fault(status: HTTPResponse.Status, type: String, code: String, message: String) -> Response {
        OAuthHTTP.json(
            [
                "fault": [
                    "error": [
                        ["message": "message=\(message); errorCode=\(code); statusCode=\(status.code)", "detail": message, "code": code]
                    ],
                    "type": type,
                ] as [String: Any],
                "time": OAuthHTTP.timestamp(Date()),
            ],
            status: status
        )
    }
}
