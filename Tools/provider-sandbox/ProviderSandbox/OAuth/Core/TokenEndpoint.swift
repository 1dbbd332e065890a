import Foundation
import Hummingbird

/// One provider's token endpoint for the two redirect-flow grants, `authorization_code` and
/// `refresh_token`, declared as data: where the client credentials may come from, whether a PKCE
/// public client may leave out its secret, and which fields the answer has. `OAuthServer.token`
/// does the rest the same way for every provider, so a provider's route states only its quirks:
///
/// ```swift
/// static let tokenEndpoint = TokenEndpoint(
///     clients: .basic, answer: [.tokenType("bearer"), .accessToken, .expiresIn(fallback: 3600), .refreshToken])
/// group.post("oauth2/v1/tokens/bearer") { request, context in
///     try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
/// }
/// ```
///
/// Any other `grant_type` is refused with `unsupported_grant_type`.
struct TokenEndpoint: Sendable {
    /// One field (or group of fields) of the JSON answer.
    enum Field: Sendable {
        /// `access_token`.
        case accessToken
        /// `token_type`, spelled as the provider spells it.
        case tokenType(String)
        /// `expires_in`: the access token's seconds left; `fallback` for a token that does not
        /// expire, the field left out when that is nil.
        case expiresIn(fallback: Int?)
        /// `scope`, the granted scopes joined the provider's way.
        case scope
        /// `refresh_token`, when one was issued.
        case refreshToken
        /// The refresh token's seconds left under `name` (or `fallback` when it does not expire),
        /// when one was issued (Intuit's `x_refresh_token_expires_in`).
        case refreshTokenExpiresIn(name: String, fallback: Int)
        /// Provider-specific fields computed from the grant (Salesforce's signature, HubSpot's hub).
        case custom(@Sendable (TokenGrant) -> [String: Any])
    }

    /// Where the client presents its id and secret.
    var clients: PresentedClient.Accepted
    /// Whether a public client may omit its secret: in an exchange that carries `code_verifier`
    /// (the code must then be bound to a challenge), and in a refresh of a grant such a client
    /// obtained (Xero, Salesforce). When false the secret is checked before the grant type is read.
    var publicClientsWithPKCE = false
    /// The grant assumed when the request names none (Slack's `oauth.v2.access`); nil refuses it.
    var defaultGrantType: String?
    /// Whether exchanged tokens expire (and come with a refresh token) under the settings in force:
    /// always, except for Slack without token rotation.
    var exchangeExpires: @Sendable (OAuthSettings) -> Bool = { _ in true }
    /// The answer's fields, in any order (the JSON is written with sorted keys).
    var answer: [Field]

    /// The answer for `grant`.
    func answer(for grant: TokenGrant) -> [String: Any] {
        var object: [String: Any] = [:]
        let access = grant.issued.access
        for field in answer {
            switch field {
            case .accessToken:
                object["access_token"] = access.value
            case .tokenType(let type):
                object["token_type"] = type
            case .expiresIn(let fallback):
                object["expires_in"] = access.secondsLeft() ?? fallback
            case .scope:
                object["scope"] = grant.server.profile.scopeString(access.scopes)
            case .refreshToken:
                object["refresh_token"] = grant.issued.refresh?.value
            case .refreshTokenExpiresIn(let name, let fallback):
                if let refresh = grant.issued.refresh { object[name] = refresh.secondsLeft() ?? fallback }
            case .custom(let fields):
                object.merge(fields(grant)) { _, custom in custom }
            }
        }
        return object
    }
}

/// A successful token request, for building its answer.
struct TokenGrant: Sendable {
    /// The tokens issued.
    var issued: SandboxTokenStore.Issued
    /// `authorization_code` or `refresh_token`.
    var grantType: String
    /// The request, for what depends on where it arrived (Salesforce's `instance_url`).
    var request: Request
    var server: OAuthServer
}

extension OAuthServer {
    /// Answers a token request under `endpoint`'s rules.
    func token(_ request: Request, context: SandboxContext, endpoint: TokenEndpoint) async throws -> Response {
        OAuthHTTP.json(endpoint.answer(for: try await grant(request, context: context, endpoint: endpoint)))
    }

    /// Authenticates the client and runs the grant the request names, under `endpoint`'s rules.
    func grant(_ request: Request, context: SandboxContext, endpoint: TokenEndpoint) async throws -> TokenGrant {
        let body = try await FormParameters.body(of: request, context: context)
        let presented = PresentedClient(request: request, parameters: body, accepted: endpoint.clients)
        let confidential = endpoint.publicClientsWithPKCE ? nil : try authenticate(presented)
        let grantType = body["grant_type"] ?? endpoint.defaultGrantType ?? ""
        let issued: SandboxTokenStore.Issued
        switch grantType {
        case "authorization_code":
            let isPublic = endpoint.publicClientsWithPKCE && presented.secret == nil && body["code_verifier"] != nil
            let client = try confidential ?? authenticate(presented, allowPublic: isPublic)
            issued = try exchange(
                code: body.nonEmpty("code"),
                client: client,
                redirectURI: body["redirect_uri"],
                codeVerifier: body["code_verifier"],
                expiring: endpoint.exchangeExpires(settings),
                requireChallenge: isPublic
            )
        case "refresh_token":
            let client = try confidential ?? authenticate(presented, allowPublic: refreshMayOmitSecret(body["refresh_token"]))
            issued = try refresh(body.nonEmpty("refresh_token"), client: client)
        default:
            throw failure(.unsupportedGrantType(grantType))
        }
        return TokenGrant(issued: issued, grantType: grantType, request: request, server: self)
    }
}
