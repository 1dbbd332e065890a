import Foundation
import Hummingbird

/// PayPal's OAuth 2.0 client-credentials grant: a merchant's REST app trades its client id and
/// secret for a bearer token.
///
/// - `POST /paypal/v1/oauth2/token` (api-m.paypal.com): HTTP Basic `client_id:secret`, form
///   `grant_type=client_credentials` → `{scope, access_token, token_type: "Bearer", app_id,
///   expires_in: 32400, nonce}`. While a token is valid the same one is handed out again with its
///   remaining `expires_in`, as PayPal does.
/// - `POST /paypal/v1/oauth2/token/terminate` (Basic, form `token=…`): ends that token.
public struct PayPalOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.post("v1/oauth2/token") { request, context in
            let body = try await FormParameters.body(of: request, context: context)
            let client = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .basic))
            guard body["grant_type"] == "client_credentials" else { throw server.failure(.unsupportedGrantType(body["grant_type"] ?? "")) }
            let scopes = server.profile.scopes(from: body["scope"])
            if let unknown = scopes.first(where: { !server.profile.isKnownScope($0) }) { throw server.failure(.invalidScope(unknown)) }
            guard let token = server.clientCredentials(client: client, scopes: scopes) else { throw server.failure(.unknownClient) }
            return OAuthHTTP.json([
                "scope": server.profile.scopeString(token.scopes), "access_token": token.value, "token_type": "Bearer",
                "app_id": token.account.id, "expires_in": token.secondsLeft() ?? 32_400,
                "nonce": OAuthHTTP.timestamp(token.issuedAt) + SandboxTokenStore.randomToken(prefix: "", length: 20),
            ])
        }
        group.post("v1/oauth2/token/terminate") { request, context in
            let body = try await FormParameters.body(of: request, context: context)
            _ = try server.authenticate(PresentedClient(request: request, parameters: body, accepted: .basic))
            guard let token = body.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
            guard server.revoke(token) else { throw server.failure(.unknownToken) }
            return OAuthHTTP.empty()
        }
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            var response = Self.error(
                .tooManyRequests,
                name: "RATE_LIMIT_REACHED",
                message: "Too many requests. Blocked due to rate limiting."
            )
            response.headers[.retryAfter] = String(Int(seconds.rounded(.up)))
            return response
        case .serverError:
            return Self.error(.internalServerError, name: "INTERNAL_SERVER_ERROR", message: "An internal server error occurred.")
        case .unauthorized:
            return OAuthHTTP.json(
                ["error": "invalid_token", "error_description": "Token signature verification failed"],
                status: .unauthorized
            )
        }
    }

    /// PayPal's REST error shape.
    static func error(_ status: HTTPResponse.Status, name: String, message: String) -> Response {
        OAuthHTTP.json(
            [
                "name": name, "message": message, "debug_id": SandboxTokenStore.randomToken(prefix: "", length: 13).lowercased(),
                "details": [String](), "links": [String](),
            ],
            status: status
        )
    }
}
