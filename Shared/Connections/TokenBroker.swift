import Foundation
import HubConnectors
import HubCore
import HubRedis
import Logging

/// Hands out credentials whose access token is valid, refreshing it when it expires soon.
///
/// Exactly one refresh per connection at a time, across every process: callers that find the
/// token expiring take a Redis lock per connection, then **re-read** the stored credentials; if
/// another caller refreshed meanwhile (the credential version moved) they use its result. The new
/// access token and a rotated refresh token are sealed together and written in one
/// compare-and-set update, so the old refresh token is never left in place beside a new access
/// token, and never used twice. A refused refresh (`invalid_grant`) marks the connection
/// `reauth_required` and publishes `connection.reauth_required`.
///
/// It needs the hub's client secrets, so only oauth-service runs it; the other services reach it
/// through oauth-service's internal routes (`RemoteTokenSource`).
public struct TokenBroker: AccessTokenSource {
    /// Why no valid token could be had.
    public enum Failure: Error, Equatable {
        /// The provider refused the refresh token: the organization must connect again.
        case reauthRequired(String)
        /// The provider refused the organization's client credentials (client-credentials grant):
        /// they must be replaced.
        case credentialsRefused(String)
        /// Another caller held the refresh lock for too long.
        case busy
        /// oauth-service, which alone refreshes tokens, could not be asked (down, overloaded, no
        /// answer within the deadline): retry shortly.
        case unavailable(String)
    }

    public let repository: ConnectionRepository
    public let credentials: CredentialStore
    public let factory: ConnectorFactory
    let lock: RedisLock
    let stash: RefreshedCredentialStash
    let events: HubEventPublisher
    let logger: Logger
    /// Tokens expiring within this window are refreshed before use.
    public var refreshWindow: Duration

    public init(
        credentials: CredentialStore,
        factory: ConnectorFactory,
        redis: RedisClient,
        events: HubEventPublisher,
        logger: Logger,
        refreshWindow: Duration = .seconds(300)
    ) {
        self.repository = credentials.repository
        self.credentials = credentials
        self.factory = factory
        self.lock = RedisLock(client: redis)
        self.stash = RefreshedCredentialStash(redis: redis)
        self.events = events
        self.logger = logger
        self.refreshWindow = refreshWindow
    }

    /// The connection's credentials with a valid access token. `force` refreshes even if the
    /// token looks valid (the provider answered 401 to it), unless someone else already did.
    public func freshCredentials(for connection: Connection, actor: String, force: Bool = false) async throws -> SecretFields {
        let (fields, version) = try await credentials.open(connection, actor: actor)
        guard refreshable(connection.provider), force || needsToken(connection, fields) else { return fields }
        do {
            return try await lock.withLock(
                key: "hub:lock:token-refresh:\(connection.id.uuidString.lowercased())",
                ttl: .seconds(30),
                waitingUpTo: .seconds(25)
            ) { _ in
                try await refreshHoldingLock(connection, readVersion: version, force: force, actor: actor)
            }
        } catch RedisError.lockNotAcquired {
            throw Failure.busy
        }
    }

    /// Stores the set a refresh kept but could not write (`RefreshedCredentialStash`), if it is
    /// the successor of the stored `version`; its fields, or nil when nothing was kept or what was
    /// kept is stale (credentials written since by someone else win, and it is dropped).
    private func storeKept(_ current: Connection, over version: Int64, actor: String) async throws -> SecretFields? {
        guard let kept = try await stash.kept(connection: current.id) else { return nil }
        guard kept.replaces == version,
            try await repository.storeCredentials(organization: current.organizationID, id: current.id, kept.stored, expectedVersion: version)
        else {
            try await stash.drop(connection: current.id)
            return nil
        }
        try await stash.drop(connection: current.id)
        logger.notice("a refreshed token kept through a failed write was stored", metadata: ["connection_id": "\(current.id)"])
        return try await latestFields(of: current, actor: actor)
    }

    private func refreshHoldingLock(_ connection: Connection, readVersion: Int64, force: Bool, actor: String) async throws -> SecretFields {
        guard let current = try await repository.get(organization: connection.organizationID, id: connection.id),
            current.status != .disconnected
        else { throw CredentialStore.Failure.none }
        let (fields, version) = try await credentials.open(current, actor: actor)
        // A set an earlier refresh got but could not store: the provider has moved on to it.
        if let recovered = try await storeKept(current, over: version, actor: actor) { return recovered }
        // Someone refreshed while we waited for the lock: theirs is the token to use.
        if version != readVersion || (!force && !needsToken(current, fields)) { return fields }
        // Someone's refresh was refused while we waited: the same refresh token would be refused
        // again; never present it twice.
        if current.status == .reauthRequired {
            throw Failure.reauthRequired(current.statusReason ?? "the provider refused the refresh token")
        }

        guard let connector = factory.connector(provider: current.provider, credentials: fields.values) else { return fields }
        let tokens: OAuthTokens
        switch await Self.requestTokens(from: connector) {
        case nil:
            return fields
        case .success(let fresh):
            tokens = fresh
        case .failure(let error):
            guard case .authenticationFailed(let message) = error else { throw error }
            let clientCredentials = connector is any ClientCredentialsConnector
            let reason =
                clientCredentials
                ? "the provider refused the client credentials: \(message)" : "the provider refused to refresh the access token: \(message)"
            // Only over the credentials that were refused: new ones stored meanwhile (a
            // re-authorization) are not marked by an old refusal.
            guard
                try await repository.setStatus(
                    organization: current.organizationID,
                    id: current.id,
                    to: clientCredentials ? .error : .reauthRequired,
                    reason: reason,
                    actor: actor,
                    expectedVersion: version
                ) != nil
            else { return try await latestFields(of: current, actor: actor) }
            if clientCredentials { throw Failure.credentialsRefused(reason) }
            await events.publish(
                type: "connection.reauth_required",
                organization: current.organizationID,
                data: [
                    "connection_id": .string(current.id.uuidString.lowercased()), "provider": .string(current.provider), "reason": .string(reason),
                ]
            )
            throw Failure.reauthRequired(reason)
        }
        var updated = fields
        updated.merge(tokens.credentialFields)
        let stored = try credentials.seal(updated, organization: current.organizationID, connection: current.id, tokens: tokens)
        // Kept before PostgreSQL is asked, so that no failure from here on loses the new set; with
        // Redis unusable just now the write goes ahead unguarded, as it did before.
        do {
            try await stash.keep(stored, replacing: version, connection: current.id)
        } catch {
            logger.warning("a refreshed token could not be kept in Redis before its write", metadata: ["connection_id": "\(current.id)"])
        }
        let written = try await repository.storeCredentials(
            organization: current.organizationID,
            id: current.id,
            stored,
            expectedVersion: version
        )
        try? await stash.drop(connection: current.id)
        // Replaced meanwhile by a writer that does not take this lock (new credentials entered
        // by the organization, a re-authorization): those win.
        guard written else { return try await latestFields(of: current, actor: actor) }
        logger.info("access token refreshed", metadata: ["connection_id": "\(current.id)", "provider": "\(current.provider)"])
        return updated
    }

    /// A new token from the provider: the OAuth refresh grant, or a new client-credentials grant;
    /// nil when the connector has neither.
    static func requestTokens(from connector: any TestableConnector) async -> Result<OAuthTokens, ConnectorError>? {
        if let oauth = connector as? any OAuthConnector {
            do { return .success(try await oauth.refreshTokens()) } catch { return .failure(error) }
        }
        if let clientCredentials = connector as? any ClientCredentialsConnector {
            do { return .success(try await clientCredentials.obtainToken()) } catch { return .failure(error) }
        }
        return nil
    }

    /// The credentials as stored now (after another writer won).
    func latestFields(of connection: Connection, actor: String) async throws -> SecretFields {
        guard let latest = try await repository.get(organization: connection.organizationID, id: connection.id) else {
            throw CredentialStore.Failure.none
        }
        return try await credentials.open(latest, actor: actor).fields
    }

    /// Whether a call needs a new token: the stored one expires within the window, or there is
    /// none yet (a client-credentials connection before its first grant).
    func needsToken(_ connection: Connection, _ fields: SecretFields) -> Bool {
        Self.needsToken(connection, fields, window: refreshWindow)
    }

    static func needsToken(_ connection: Connection, _ fields: SecretFields, window: Duration) -> Bool {
        expiresSoon(connection, window: window) || fields["access_token"] == nil
    }

    /// Whether the provider's tokens are refreshed by the hub (OAuth with expiring tokens, or a
    /// client-credentials grant).
    func refreshable(_ provider: String) -> Bool {
        Self.refreshable(provider, factory: factory)
    }

    static func refreshable(_ provider: String, factory: ConnectorFactory) -> Bool {
        guard let type = factory.testableType(provider) else { return false }
        return type is any OAuthConnector.Type || type is any ClientCredentialsConnector.Type
    }

    static func expiresSoon(_ connection: Connection, window: Duration) -> Bool {
        guard let expiry = connection.tokenExpiresAt else { return false }
        let seconds = window.inSeconds
        return expiry.timeIntervalSinceNow < seconds
    }

    // MARK: Revocation

    /// Revokes the grant with the provider's own revocation call, which needs the hub's client
    /// registration for OAuth and Plaid.
    public func revoke(_ connection: Connection, actor: String) async -> Revocation {
        await Revocation.atProvider(connection, credentials: credentials, factory: factory, actor: actor, logger: logger)
    }
}

extension TokenBroker.Failure {
    /// A stable, machine-readable name for the failure.
    public var code: String {
        switch self {
        case .reauthRequired: "reauth_required"
        case .credentialsRefused: "provider_authentication_failed"
        case .busy: "token_refresh_busy"
        case .unavailable: "dependency_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .reauthRequired(let message), .credentialsRefused(let message): message
        case .busy: "another refresh of this connection's token is taking long; retry"
        case .unavailable(let why): "oauth-service, which hands out access tokens, is unavailable (\(why)); retry shortly"
        }
    }
}
