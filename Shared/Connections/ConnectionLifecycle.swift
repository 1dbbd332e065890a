import Foundation
import HubConnectors
import HubCore
import HubRedis
import Logging
import PostgresNIO

/// The life of a connection, shared by connection-service (API keys, tests, edits, disconnects)
/// and oauth-service (OAuth and Plaid Link connects): every step stores its status with a reason,
/// writes an audit row in the same transaction as the change, and publishes the hub's events.
public struct ConnectionLifecycle: Sendable {
    public let repository: ConnectionRepository
    public let credentials: CredentialStore
    public let factory: ConnectorFactory
    /// Access tokens and revocations: `TokenBroker` in oauth-service, which holds the client
    /// secrets; oauth-service's internal routes everywhere else.
    public let tokens: any AccessTokenSource
    public let events: HubEventPublisher
    let postgres: PostgresClient
    let logger: Logger

    /// Who acts and under which request, for the audit log.
    public typealias Actor = AuditActor

    /// - Parameter retry: the provider transport's own retries (see `ConnectorFactory`).
    public init(dependencies: HubDependencies, retry: RetryPolicy = RetryPolicy()) {
        let logger = dependencies.logger
        let repository = ConnectionRepository(client: dependencies.postgres, logger: logger)
        let credentials = CredentialStore(repository: repository, vault: dependencies.configuration.vault(), logger: logger)
        let factory = ConnectorFactory(
            configuration: dependencies.configuration,
            httpClient: dependencies.httpClient,
            logger: logger,
            retry: retry,
            services: dependencies.services
        )
        let events = HubEventPublisher(redis: dependencies.redis, logger: logger)
        self.repository = repository
        self.credentials = credentials
        self.factory = factory
        self.events = events
        let refreshWindow = Duration.seconds(dependencies.configuration.tokenRefreshWindowSeconds)
        if dependencies.configuration.service == .oauth {
            self.tokens = TokenBroker(
                credentials: credentials,
                factory: factory,
                redis: dependencies.redis,
                events: events,
                logger: logger,
                refreshWindow: refreshWindow
            )
        } else {
            self.tokens = RemoteTokenSource(
                credentials: credentials,
                factory: factory,
                services: dependencies.services,
                refreshWindow: refreshWindow,
                logger: logger
            )
        }
        self.postgres = dependencies.postgres
        self.logger = logger
    }

    // MARK: Connect

    /// Creates a connection holding `fields` (sealed), then tests them against the provider: the
    /// connection comes back `connected`, or `error` with the provider's reason. Throws
    /// `ConnectionRepository.AlreadyConnected` when the organization has a live one already.
    public func connect(
        _ actor: Actor,
        provider: String,
        name: String?,
        settings: JSONValue,
        fields: SecretFields,
        tokens: OAuthTokens? = nil
    ) async throws -> Connection {
        let id = UUID()
        let stored = try credentials.seal(fields, organization: actor.organizationID, connection: id, tokens: tokens)
        let displayName = name ?? factory.registry.definition(id: provider)?.displayName ?? provider
        let awaitsChoice = tokens?.needsTenantChoice ?? false
        let new = ConnectionRepository.NewConnection(
            id: id,
            organizationID: actor.organizationID,
            provider: provider,
            name: displayName,
            status: .connecting,
            statusReason: awaitsChoice ? Self.tenantChoiceReason(stored.tenants.count) : "checking the credentials with the provider",
            settings: settings,
            credentials: stored,
            actor: actor.subject
        )
        let created = try await repository.insert(new) { connection in
            try await audit(
                actor,
                "connection.created",
                id: id,
                details: ["provider": .string(provider), "credential_fields": .array(fields.names.map { .string($0) })],
                on: connection
            )
        }
        // Nothing to test until the user picks the tenant the connection will use.
        if awaitsChoice { return created }
        do {
            _ = try await test(created, actor: actor)
        } catch {
            // Whatever failed (PostgreSQL, Redis), the row must not stay `connecting`: that would
            // block every later connect to the provider with a 409.
            _ = try? await repository.setStatus(
                organization: actor.organizationID,
                id: id,
                to: .error,
                reason: "the credentials could not be checked; test the connection again",
                actor: actor.subject
            )
            throw error
        }
        return try await repository.get(organization: actor.organizationID, id: id) ?? created
    }

    /// Puts new credentials (OAuth re-authorization) into an existing live connection and tests them.
    /// A grant reaching several tenants keeps the one the connection used when it still reaches
    /// it; otherwise the connection waits for the user's choice again.
    public func reconnect(_ connection: Connection, _ actor: Actor, fields: SecretFields, tokens: OAuthTokens?) async throws -> Connection {
        var (fields, tokens) = (fields, tokens)
        if var choosing = tokens, choosing.needsTenantChoice {
            if let kept = choosing.tenants.first(where: { $0.id == connection.accountID }) {
                choosing.choose(kept)
                fields.merge([ProviderTenant.credentialField: kept.id])
                tokens = choosing
            } else {
                try await awaitTenantChoice(connection, actor, fields: fields, tokens: choosing)
                return try await repository.get(organization: actor.organizationID, id: connection.id) ?? connection
            }
        }
        try await replaceCredentials(connection, actor, fields: fields, tokens: tokens)
        return try await repository.get(organization: actor.organizationID, id: connection.id) ?? connection
    }

    // MARK: Test

    /// Checks the stored credentials with the provider's cheapest authenticated call, records the
    /// outcome, and moves the status: `connected` on success, `error` (or `reauth_required` when a
    /// refresh was refused) with a readable reason on failure.
    public func test(_ connection: Connection, actor: Actor) async throws -> ConnectionTestResult {
        let result = try await probe(connection, actor: actor)
        try await record(result, of: connection, actor: actor)
        return result
    }

    /// Checks the stored credentials with the provider, or `entered` ones as they are, recording
    /// nothing.
    func probe(_ connection: Connection, actor: Actor, entered: SecretFields? = nil) async throws -> ConnectionTestResult {
        if connection.awaitsTenantChoice { throw ConnectionError.tenantChoiceRequired(count: connection.tenants.count) }
        let started = ContinuousClock.now
        var result: ConnectionTestResult
        do {
            let fields: SecretFields
            if let entered {
                fields = entered
            } else {
                fields = try await tokens.freshCredentials(for: connection, actor: actor.subject)
            }
            guard let connector = factory.connector(provider: connection.provider, credentials: fields.values) else {
                throw ConnectionError.notTestable(provider: connection.provider)
            }
            let check = try await connector.testConnection()
            result = ConnectionTestResult(
                ok: true,
                message: "credentials accepted",
                code: nil,
                latencyMS: Self.milliseconds(since: started),
                accountID: check.accountID,
                accountName: check.accountName,
                status: .connected
            )
        } catch let error as ConnectorError {
            // oauth-service could not relay the call: nothing is known about the credentials.
            if let reason = error.relayFailure { throw TokenBroker.Failure.unavailable(reason) }
            result = ConnectionTestResult(
                ok: false,
                message: Self.reason(error),
                code: error.code,
                latencyMS: Self.milliseconds(since: started),
                accountID: nil,
                accountName: nil,
                status: .error
            )
        } catch let error as TokenBroker.Failure {
            // oauth-service is down: nothing is known about the credentials, so nothing is recorded.
            if case .unavailable = error { throw error }
            result = ConnectionTestResult(
                ok: false,
                message: error.message,
                code: error.code,
                latencyMS: Self.milliseconds(since: started),
                accountID: nil,
                accountName: nil,
                status: Self.status(after: error, was: connection.status)
            )
        } catch let error as CredentialStore.Failure {
            if error == .keyUnavailable { throw error }  // the operator's to fix; the connection is fine
            result = ConnectionTestResult(
                ok: false,
                message: error.message,
                code: error.code,
                latencyMS: Self.milliseconds(since: started),
                accountID: nil,
                accountName: nil,
                status: .error
            )
        }
        return result
    }

    /// Records a test's outcome and moves the status, announcing a connection that became connected.
    func record(_ result: ConnectionTestResult, of connection: Connection, actor: Actor) async throws {
        try await repository.recordTest(
            organization: connection.organizationID,
            id: connection.id,
            ok: result.ok,
            message: result.message,
            accountID: result.accountID,
            accountName: result.accountName
        )
        let reason = result.ok ? nil : result.message
        // Recording the status the broker already set is a no-op (no history row for no change).
        try await repository.setStatus(
            organization: connection.organizationID,
            id: connection.id,
            to: result.status,
            reason: reason,
            actor: actor.subject
        )
        if result.ok && connection.status != .connected {
            await events.publish(
                type: "connection.connected",
                organization: connection.organizationID,
                data: [
                    "connection_id": .string(connection.id.uuidString.lowercased()), "provider": .string(connection.provider),
                    "account_id": result.accountID.map(JSONValue.string) ?? .null,
                ]
            )
        }
    }

    // MARK: Change

    /// Replaces name, settings or the sync flag, auditing which of them changed.
    public func update(_ connection: Connection, _ actor: Actor, name: String?, settings: JSONValue?, syncEnabled: Bool?) async throws -> Connection {
        try await postgres.withTransaction(logger: logger) { db in
            guard
                let updated = try await repository.update(
                    organization: actor.organizationID,
                    id: connection.id,
                    name: name,
                    settings: settings,
                    syncEnabled: syncEnabled,
                    on: db
                )
            else { throw ConnectionError.notFound }
            var changed: [JSONValue] = []
            if let name, name != connection.name { changed.append("name") }
            if let settings, settings != connection.settings { changed.append("settings") }
            if let syncEnabled, syncEnabled != connection.syncEnabled { changed.append("sync_enabled") }
            if !changed.isEmpty {
                try await audit(actor, "connection.updated", id: connection.id, details: ["changed": .array(changed)], on: db)
            }
            return updated
        }
    }

    // MARK: Disconnect

    /// Revokes the grant at the provider where it can be revoked, wipes the credentials, marks the
    /// connection `disconnected` (kept for audit and job history) and publishes
    /// `connection.disconnected`. A revocation the provider refuses or cannot take is recorded in
    /// the audit row; it does not keep the organization connected. Disconnecting twice is a no-op.
    public func disconnect(_ connection: Connection, _ actor: Actor) async throws -> Connection {
        guard connection.status != .disconnected else { return connection }
        let revocation = await tokens.revoke(connection, actor: actor.subject).auditDetails
        let disconnected = try await postgres.withTransaction(logger: logger) { db -> Connection? in
            guard
                let updated = try await repository.markDisconnected(
                    organization: actor.organizationID,
                    id: connection.id,
                    actor: actor.subject,
                    on: db
                )
            else { return nil }
            try await audit(
                actor,
                "connection.disconnected",
                id: connection.id,
                details: ["provider": .string(connection.provider), "revocation": revocation],
                on: db
            )
            return updated
        }
        // A concurrent disconnect got there first: it recorded and announced the change.
        guard let disconnected else {
            return try await repository.get(organization: actor.organizationID, id: connection.id) ?? connection
        }
        await events.publish(
            type: "connection.disconnected",
            organization: connection.organizationID,
            data: ["connection_id": .string(connection.id.uuidString.lowercased()), "provider": .string(connection.provider)]
        )
        return disconnected
    }

    /// Marks the connection `reauth_required` after a provider refused its token on an ordinary call
    /// (a revoked grant, not a failed refresh, which `TokenBroker` records), and announces it once.
    public func requireReauthorization(_ connection: Connection, reason: String, actor: String) async throws {
        guard connection.status != .reauthRequired, connection.status != .disconnected else { return }
        guard
            try await repository.setStatus(
                organization: connection.organizationID,
                id: connection.id,
                to: .reauthRequired,
                reason: reason,
                actor: actor
            ) != nil
        else { return }
        await events.publish(
            type: "connection.reauth_required",
            organization: connection.organizationID,
            data: [
                "connection_id": .string(connection.id.uuidString.lowercased()), "provider": .string(connection.provider), "reason": .string(reason),
            ]
        )
    }

    // MARK: Helpers

    func audit(_ actor: Actor, _ action: String, id: UUID, details: JSONValue, on db: PostgresConnection) async throws {
        try await AuditLogRepository.record(
            on: db,
            by: actor,
            action: action,
            resourceType: "connection",
            resourceID: id,
            details: details,
            logger: logger
        )
    }

    /// The status a token failure leaves a connection in.
    static func status(after failure: TokenBroker.Failure, was current: ConnectionStatus) -> ConnectionStatus {
        switch failure {
        case .reauthRequired: .reauthRequired
        case .credentialsRefused: .error
        case .busy, .unavailable: current
        }
    }

    /// A readable reason for a failed test; the provider's own words where it gave them.
    static func reason(_ error: ConnectorError) -> String {
        switch error {
        case .authenticationFailed(let message): "the provider refused the credentials: \(message)"
        case .permissionDenied(let message): "the credentials lack a permission: \(message)"
        case .rateLimited: "the provider is rate limiting requests; try again shortly"
        case .unavailable(let status, _): "the provider failed (HTTP \(status)); try again later"
        case .network: "the provider could not be reached"
        default: error.message
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
