import Foundation
import HTTPTypes
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import Logging
import ServiceEdge

/// The OAuth 2.0 authorization-code flow for every provider whose connector is an
/// `OAuthConnector`, without naming one:
///
/// - `GET /api/v1/integrations/oauth/{provider}/authorize` (user token): a single-use `state`
///   bound to organization, user and provider (Redis, 10 minutes), a PKCE verifier where the
///   provider takes PKCE, and the provider's authorization URL.
/// - `GET /api/v1/integrations/oauth/{provider}/callback` (public: the browser comes back from
///   the provider): consumes the state, checks the provider's own callback rules, parks the code
///   under a single-use handle, and redirects **only** to the configured UI origin with that
///   handle or an error code — never exception text.
/// - `POST /api/v1/integrations/oauth/{provider}/complete` (user token): the UI hands the handle
///   back; only the user and organization that started the authorization may complete it. Then
///   the code is exchanged, the tokens stored sealed and tested, and the connection returned.
///
/// Why two steps: the callback carries no identity, so a state alone cannot tell whose browser
/// came back. Someone who starts an authorization in their organization and gets another person
/// to approve it would otherwise connect that person's account to their organization. With the
/// handle completed under the approver's own token, such a callback is refused and stores nothing.
struct OAuthRoutes {
    let lifecycle: ConnectionLifecycle
    let states: OAuthStateStore
    let uiOrigin: String
    let logger: Logger

    var factory: ConnectorFactory { lifecycle.factory }

    struct AuthorizeResponse: ResponseEncodable {
        var authorizationURL: String
        var state: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case state
            case authorizationURL = "authorization_url"
            case expiresAt = "expires_at"
        }
    }

    func add(to routes: HubRoutes) {
        let providerRoutes = routes.api.group("integrations/oauth/:provider")
        providerRoutes.get("authorize") { request, context -> AuthorizeResponse in
            let identity = try context.requireIdentity()
            let provider = try context.parameters.require("provider")
            let (type, client) = try oauthProvider(provider)
            var entered: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { entered[String(name)] = String(value) }
            let parameters = try type.validateAuthorizationParameters(entered)
            let verifier = type.definition.auth.oauth?.supportsPKCE == true ? OAuthStateStore.randomToken(bytes: 48) : nil
            let pending = PendingAuthorization(
                organizationID: identity.organizationID,
                subject: identity.subject,
                provider: provider,
                codeVerifier: verifier,
                parameters: parameters,
                requestID: context.requestID
            )
            let state = try await states.issue(pending)
            let authorization = AuthorizationRequest(
                state: state,
                codeChallenge: verifier.map(OAuthStateStore.challenge(for:)),
                parameters: parameters
            )
            let url = try type.authorizationURL(authorization, client: client, endpoints: factory.endpoints)
            return AuthorizeResponse(
                authorizationURL: url,
                state: state,
                expiresAt: Date().addingTimeInterval(Double(states.lifetime.components.seconds))
            )
        }
        routes.router.get("/api/v1/integrations/oauth/:provider/callback") { request, context -> Response in
            let provider = try context.parameters.require("provider")
            let query = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
            // Only a provider id the hub knows is echoed back to the UI.
            guard factory.registry.definition(id: provider) != nil else {
                return Self.redirect(to: uiOrigin, provider: nil, outcome: .failed("invalid_callback"))
            }
            let outcome = await callback(provider: provider, query: query)
            return Self.redirect(to: uiOrigin, provider: provider, outcome: outcome)
        }
        providerRoutes.post("complete") { request, context -> EditedResponse<Connection> in
            let identity = try context.requireIdentity()
            let provider = try context.parameters.require("provider")
            let body = try await request.decodeJSON(as: CompleteRequest.self, context: context)
            let connection = try await complete(
                provider: provider,
                handle: body.handle,
                actor: .init(organizationID: identity.organizationID, subject: identity.subject, requestID: context.requestID)
            )
            return EditedResponse(status: .created, response: connection)
        }
    }

    struct CompleteRequest: Decodable {
        var handle: String
    }

    /// How a callback ended: a handle to complete with, or an error code the UI can explain.
    enum Outcome: Equatable {
        case authorized(String)
        case failed(String)
    }

    func callback(provider: String, query: [(name: String, value: String)]) async -> Outcome {
        func value(_ name: String) -> String? { query.first { $0.name == name }?.value }
        // Consume the state first, whatever else is wrong: it must never be usable twice.
        guard let state = value("state"), !state.isEmpty else { return .failed("invalid_state") }
        let pending: PendingAuthorization?
        do { pending = try await states.consume(state) } catch { return .failed("temporarily_unavailable") }
        guard let pending, pending.provider == provider else { return .failed("invalid_state") }
        if let error = value("error") {
            return .failed(error == "access_denied" ? "access_denied" : "provider_error")
        }
        guard let code = value("code"), !code.isEmpty, let (type, client) = try? oauthProvider(provider) else {
            return .failed("invalid_callback")
        }
        let authorization = AuthorizationRequest(state: state, codeChallenge: nil, parameters: pending.parameters)
        let callbackValues: [String: String]
        do {
            callbackValues = try type.validateCallback(query: query, authorization: authorization, client: client)
        } catch {
            logger.warning("OAuth callback refused", metadata: ["provider": "\(provider)", "reason": "\(error.code)"])
            return .failed("invalid_callback")
        }
        do {
            return .authorized(
                try await states.park(ParkedCallback(pending: pending, code: code, callbackValues: callbackValues))
            )
        } catch {
            return .failed("temporarily_unavailable")
        }
    }

    /// Exchanges a parked callback's code for the user who started the authorization, and stores
    /// the connection. A handle is spent by any attempt, so a refused one cannot be retried by
    /// whoever else learns it.
    func complete(provider: String, handle: String, actor: ConnectionLifecycle.Actor) async throws -> Connection {
        let (type, client) = try oauthProvider(provider)
        guard let parked = try await states.claim(handle), parked.pending.provider == provider else {
            throw APIError(.badRequest, code: "invalid_state", message: "the authorization is unknown, expired or already completed")
        }
        let pending = parked.pending
        guard pending.organizationID == actor.organizationID, pending.subject == actor.subject else {
            logger.warning(
                "OAuth completion by someone other than who started it refused",
                metadata: ["provider": "\(provider)", "request_id": "\(actor.requestID ?? "")"]
            )
            throw APIError(
                .forbidden,
                code: "authorization_mismatch",
                message: "this authorization was started by another user or organization; start it again from your own account"
            )
        }
        let tokens: OAuthTokens
        do {
            tokens = try await type.exchangeCode(
                parked.code,
                codeVerifier: pending.codeVerifier,
                callbackValues: parked.callbackValues,
                client: client,
                endpoints: factory.endpoints,
                transport: factory.transport
            )
        } catch {
            logger.warning("OAuth code exchange failed", metadata: ["provider": "\(provider)", "reason": "\(error.code)"])
            throw error.isRetryable
                ? APIError(
                    .badGateway,
                    code: "exchange_failed",
                    message: "\(provider) could not be reached to finish the authorization; start it again"
                )
                : APIError(.badRequest, code: "exchange_failed", message: "\(provider) refused the authorization code; start the authorization again")
        }
        var fields = SecretFields(parked.callbackValues)
        fields.merge(tokens.credentialFields)
        return try await store(fields, tokens: tokens, provider: provider, actor: actor)
    }

    /// A new connection, or new credentials for the organization's live one (re-authorization).
    func store(_ fields: SecretFields, tokens: OAuthTokens, provider: String, actor: ConnectionLifecycle.Actor) async throws -> Connection {
        for _ in 0..<2 {
            if let live = try await lifecycle.repository.live(organization: actor.organizationID, provider: provider) {
                return try await lifecycle.reconnect(live, actor, fields: fields, tokens: tokens)
            }
            do {
                return try await lifecycle.connect(actor, provider: provider, name: nil, settings: [:], fields: fields, tokens: tokens)
            } catch is ConnectionRepository.AlreadyConnected {
                continue  // a concurrent completion created it: update that one
            }
        }
        throw ConnectionRepository.AlreadyConnected(provider: provider)
    }

    func oauthProvider(_ provider: String) throws -> (any OAuthConnector.Type, OAuthClientRegistration) {
        guard let type = factory.oauthType(provider) else {
            throw APIError.validation(
                factory.registry.definition(id: provider) == nil
                    ? "unknown provider '\(provider)'" : "'\(provider)' does not connect through OAuth",
                field: "provider"
            )
        }
        guard let client = factory.client(for: provider) else {
            throw APIError(
                .unprocessableContent,
                code: "provider_not_configured",
                message: "the operator has not configured an OAuth client for \(provider)"
            )
        }
        return (type, client)
    }

    /// A 302 to the UI origin's OAuth result page; nothing else is ever a redirect target.
    static func redirect(to origin: String, provider: String?, outcome: Outcome) -> Response {
        // The origin was validated at start (scheme, host, port only).
        var components = URLComponents(string: origin + "/integrations/oauth/result") ?? URLComponents()
        var items = provider.map { [URLQueryItem(name: "provider", value: $0)] } ?? []
        switch outcome {
        case .authorized(let handle):
            items += [URLQueryItem(name: "status", value: "authorized"), URLQueryItem(name: "handle", value: handle)]
        case .failed(let code):
            items += [URLQueryItem(name: "status", value: "error"), URLQueryItem(name: "error", value: code)]
        }
        components.queryItems = items
        return Response(
            status: .found,
            headers: [.location: components.string!, .cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer"]
        )
    }
}
