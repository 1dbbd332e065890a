import Foundation
import HubCore
import Logging
import NIOHTTP1

/// Access tokens from oauth-service, for the services that hold no client secret.
///
/// The stored credentials are opened here as before (they hold more than the token: a realm, a
/// shop, an API key). A connection whose provider's tokens the hub never refreshes (an API key, a
/// Plaid item), or whose stored token is valid beyond the refresh window, needs nothing else: no
/// call leaves the process. Otherwise the token comes from the cache or from
/// `GET /internal/connections/{id}/access-token` (one refresh per connection across the suite,
/// `TokenBroker` there), and after a provider's 401 from the same route with `force=true`.
/// Revocations that need the hub's client registration go to `POST …/revoke` likewise.
public struct RemoteTokenSource: AccessTokenSource {
    let credentials: CredentialStore
    let factory: ConnectorFactory
    let services: ServiceClient
    let cache: AccessTokenCache
    let refreshWindow: Duration
    let logger: Logger

    public init(
        credentials: CredentialStore,
        factory: ConnectorFactory,
        services: ServiceClient,
        cache: AccessTokenCache = AccessTokenCache(),
        refreshWindow: Duration,
        logger: Logger
    ) {
        self.credentials = credentials
        self.factory = factory
        self.services = services
        self.cache = cache
        self.refreshWindow = refreshWindow
        self.logger = logger
    }

    /// What oauth-service answers with a token.
    struct AccessToken: Decodable {
        var accessToken: String
        var expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresAt = "expires_at"
        }
    }

    public func freshCredentials(for connection: Connection, actor: String, force: Bool) async throws -> SecretFields {
        let (fields, version) = try await credentials.open(connection, actor: actor)
        guard TokenBroker.refreshable(connection.provider, factory: factory) else { return fields }
        if force {
            cache.drop(connection: connection.id)
        } else {
            if !TokenBroker.needsToken(connection, fields, window: refreshWindow) { return fields }
            if let token = cache.token(connection: connection.id, credentialVersion: version) {
                return fields.replacing(accessToken: token)
            }
        }
        let token = try await ask(for: connection, force: force)
        cache.store(token.accessToken, expiresAt: token.expiresAt, connection: connection.id, credentialVersion: version)
        return fields.replacing(accessToken: token.accessToken)
    }

    func ask(for connection: Connection, force: Bool) async throws -> AccessToken {
        let path =
            "/internal/connections/\(connection.id.uuidString.lowercased())/access-token"
            + "?organization=\(connection.organizationID.uuidString.lowercased())" + (force ? "&force=true" : "")
        let reply = try await call(.GET, path)
        switch reply.status {
        case 200:
            do {
                return try JSONDecoder.hub.decode(AccessToken.self, from: reply.body)
            } catch {
                throw TokenBroker.Failure.unavailable("oauth-service answered with an unreadable token")
            }
        default:
            throw Self.failure(reply)
        }
    }

    public func revoke(_ connection: Connection, actor: String) async -> Revocation {
        guard Revocation.needsClientRegistration(connection.provider, factory: factory) else {
            return await Revocation.atProvider(connection, credentials: credentials, factory: factory, actor: actor, logger: logger)
        }
        let path =
            "/internal/connections/\(connection.id.uuidString.lowercased())/revoke"
            + "?organization=\(connection.organizationID.uuidString.lowercased())"
        do {
            let reply = try await call(.POST, path, idempotent: true)
            guard reply.status == 200, let revocation = try? JSONDecoder.hub.decode(Revocation.self, from: reply.body) else {
                throw Self.failure(reply)
            }
            cache.drop(connection: connection.id)
            return revocation
        } catch {
            logger.warning(
                "revocation through oauth-service failed",
                metadata: ["connection_id": "\(connection.id)", "provider": "\(connection.provider)", "error": "\(error)"]
            )
            let code = (error as? TokenBroker.Failure)?.code ?? "dependency_unavailable"
            return Revocation(attempted: true, revoked: false, error: code)
        }
    }

    /// One call to oauth-service under the request this task serves (its id and trace).
    func call(_ method: HTTPMethod, _ path: String, idempotent: Bool? = nil) async throws(TokenBroker.Failure) -> ServiceClient.Reply {
        do {
            return try await services.send(method, to: .oauth, path: path, propagation: .inherited, idempotent: idempotent)
        } catch {
            throw .unavailable(error.reason)
        }
    }

    /// oauth-service's refusal, in the meaning `TokenBroker` would have thrown in-process.
    static func failure(_ reply: ServiceClient.Reply) -> any Error {
        let envelope = try? JSONDecoder.hub.decode(JSONValue.self, from: reply.body)
        let code = envelope?["error"]?["code"]?.stringValue
        let message = envelope?["error"]?["message"]?.stringValue ?? "oauth-service answered \(reply.status)"
        switch (reply.status, code) {
        case (409, "reauth_required"): return TokenBroker.Failure.reauthRequired(message)
        case (409, "provider_authentication_failed"): return TokenBroker.Failure.credentialsRefused(message)
        case (503, "token_refresh_busy"): return TokenBroker.Failure.busy
        case (404, _): return CredentialStore.Failure.none
        default: return TokenBroker.Failure.unavailable("oauth-service answered \(reply.status) \(code ?? "")")
        }
    }
}

extension SecretFields {
    /// The same credentials with another access token.
    func replacing(accessToken: String) -> SecretFields {
        var fields = self
        fields.merge(["access_token": accessToken])
        return fields
    }
}
