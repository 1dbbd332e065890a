import Foundation
import HubConnectors
import HubCore
import Logging
import PostgresNIO

/// The connections table's SQL. Every read and write is scoped by the organization: another
/// organization's connection is indistinguishable from one that does not exist.
public struct ConnectionRepository: Sendable {
    /// A second live connection to the same provider for the organization (the unique index said so).
    public struct AlreadyConnected: Error, Equatable {
        public var provider: String

        public init(provider: String) {
            self.provider = provider
        }
    }

    /// What a new row holds.
    public struct NewConnection: Sendable {
        public var id: UUID
        public var organizationID: UUID
        public var provider: String
        public var name: String
        public var status: ConnectionStatus
        public var statusReason: String?
        public var settings: JSONValue
        public var syncEnabled: Bool
        public var credentials: StoredCredentials?
        public var actor: String

        public init(
            id: UUID = UUID(),
            organizationID: UUID,
            provider: String,
            name: String,
            status: ConnectionStatus,
            statusReason: String? = nil,
            settings: JSONValue = [:],
            syncEnabled: Bool = true,
            credentials: StoredCredentials? = nil,
            actor: String
        ) {
            self.id = id
            self.organizationID = organizationID
            self.provider = provider
            self.name = name
            self.status = status
            self.statusReason = statusReason
            self.settings = settings
            self.syncEnabled = syncEnabled
            self.credentials = credentials
            self.actor = actor
        }
    }

    /// Sealed credentials with the clear facts kept beside them.
    public struct StoredCredentials: Sendable {
        public var sealed: SealedSecret
        public var fieldNames: [String]
        public var tokenExpiresAt: Date?
        public var refreshTokenExpiresAt: Date?
        public var scopes: [String]
        public var accountID: String?
        public var accountName: String?
        /// The tenants a new grant reaches (Xero); empty keeps the stored ones (a refresh).
        public var tenants: [ProviderTenant] = []

        /// A grant reaching several tenants with none chosen: the stored account is cleared.
        var awaitsTenantChoice: Bool { (accountID ?? "").isEmpty && tenants.count > 1 }
        var tenantsJSON: JSONValue { .array(tenants.map(\.json)) }

        public init(
            sealed: SealedSecret,
            fieldNames: [String],
            tokenExpiresAt: Date? = nil,
            refreshTokenExpiresAt: Date? = nil,
            scopes: [String] = [],
            accountID: String? = nil,
            accountName: String? = nil,
            tenants: [ProviderTenant] = []
        ) {
            self.tenants = tenants
            self.sealed = sealed
            self.fieldNames = fieldNames
            self.tokenExpiresAt = tokenExpiresAt
            self.refreshTokenExpiresAt = refreshTokenExpiresAt
            self.scopes = scopes
            self.accountID = accountID
            self.accountName = accountName
        }
    }

    /// Filters of a listing.
    public struct Filter: Sendable, Equatable {
        public var provider: String?
        public var status: ConnectionStatus?
        /// False leaves out disconnected connections, which are kept for their history and pile
        /// up: a page of them must not hide the live ones.
        public var includeDisconnected: Bool

        public init(provider: String? = nil, status: ConnectionStatus? = nil, includeDisconnected: Bool = true) {
            self.provider = provider
            self.status = status
            self.includeDisconnected = includeDisconnected
        }
    }

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, org_id, provider, name, status, status_reason, status_changed_at, settings, sync_enabled, account_id,
        account_name, credential_fields, credentials_rotated_at, token_expires_at, scopes, last_tested_at, last_test_ok,
        last_test_message, created_by, created_at, updated_at, disconnected_at, tenants, api_usage
        """

    // MARK: Writes

    /// Inserts a connection and its first status-history row in one transaction, with whatever
    /// `alongside` writes (the audit row).
    /// Throws `AlreadyConnected` when the organization has a live connection to the provider.
    public func insert(
        _ new: NewConnection,
        alongside: @Sendable (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> Connection {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let stored = new.credentials
                let rows = try await connection.query(
                    """
                    INSERT INTO connections (id, org_id, provider, name, status, status_reason, settings, sync_enabled,
                        account_id, account_name, credential_key_id, credential_ciphertext, credential_fields,
                        credentials_rotated_at, credential_version, token_expires_at, refresh_token_expires_at, scopes, created_by,
                        tenants)
                    VALUES (\(new.id), \(new.organizationID), \(new.provider), \(new.name), \(new.status.rawValue),
                        \(new.statusReason), \(new.settings), \(new.syncEnabled), \(stored?.accountID), \(stored?.accountName),
                        \(stored?.sealed.keyID), \(stored.map { Data($0.sealed.ciphertext) }), \(stored?.fieldNames ?? []),
                        \(stored == nil ? nil : Date()), \(stored == nil ? 0 : 1), \(stored?.tokenExpiresAt),
                        \(stored?.refreshTokenExpiresAt), \(stored?.scopes ?? []), \(new.actor), \(stored?.tenantsJSON ?? .array([])))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: logger
                )
                guard let inserted = try await rows.decode(rows: Connection.self).first else {
                    throw PostgresDecodingError.Code.missingData
                }
                try await Self.recordHistory(
                    on: connection,
                    id: new.id,
                    organization: new.organizationID,
                    status: new.status,
                    reason: new.statusReason,
                    actor: new.actor,
                    logger: logger
                )
                try await alongside(connection)
                return inserted
            }
        } catch let error where PostgresError.Code.uniqueViolation.matches(error) {
            throw AlreadyConnected(provider: new.provider)
        }
    }

    /// Changes the status, recording the change (with its reason) when status or reason differ.
    /// Returns the connection as it now is, or nil when there is no such connection.
    ///
    /// A disconnected connection stays disconnected (a test or refresh that raced the disconnect
    /// changes nothing; nil comes back). With `expectedVersion`, the change applies only if the
    /// credentials are still the ones that version names.
    @discardableResult
    public func setStatus(
        organization: UUID,
        id: UUID,
        to status: ConnectionStatus,
        reason: String?,
        actor: String,
        expectedVersion: Int64? = nil,
        on connection: PostgresConnection? = nil
    ) async throws -> Connection? {
        try await client.withConnection(reusing: connection) { connection in
            let rows = try await connection.query(
                """
                WITH changed AS (
                    -- The locking subquery reads the row before this statement changes it: the old
                    -- status decides whether the change is recorded.
                    UPDATE connections c SET status = \(status.rawValue), status_reason = \(reason), updated_at = now(),
                        status_changed_at = CASE WHEN old.status IS DISTINCT FROM \(status.rawValue)
                            OR old.status_reason IS DISTINCT FROM \(reason) THEN now() ELSE c.status_changed_at END
                    FROM (
                        SELECT id, status, status_reason FROM connections
                        WHERE org_id = \(organization) AND id = \(id)
                            AND (status <> 'disconnected' OR \(status.rawValue) = 'disconnected')
                            AND (\(expectedVersion)::bigint IS NULL OR credential_version = \(expectedVersion))
                        FOR UPDATE
                    ) old
                    WHERE c.id = old.id
                    RETURNING c.*, old.status AS old_status, old.status_reason AS old_reason
                ), history AS (
                    INSERT INTO connection_status_history (connection_id, org_id, status, reason, actor)
                    SELECT \(id), \(organization), \(status.rawValue), \(reason), \(actor) FROM changed
                    WHERE changed.old_status IS DISTINCT FROM \(status.rawValue) OR changed.old_reason IS DISTINCT FROM \(reason)
                )
                SELECT \(unescaped: Self.columns) FROM changed
                """,
                logger: logger
            )
            return try await rows.decode(rows: Connection.self).first
        }
    }

    /// Replaces name, settings and sync flag (each only when given).
    public func update(
        organization: UUID,
        id: UUID,
        name: String?,
        settings: JSONValue?,
        syncEnabled: Bool?,
        on connection: PostgresConnection? = nil
    ) async throws -> Connection? {
        try await client.withConnection(reusing: connection) { connection in
            let rows = try await connection.query(
                """
                UPDATE connections SET name = COALESCE(\(name), name), settings = COALESCE(\(settings), settings),
                    sync_enabled = COALESCE(\(syncEnabled), sync_enabled), updated_at = now()
                WHERE org_id = \(organization) AND id = \(id) AND status <> 'disconnected'
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            return try await rows.decode(rows: Connection.self).first
        }
    }

    /// Stores new credentials. With `expectedVersion`, only if nobody stored others since that
    /// version was read (a refresh never overwrites newer credentials); returns false then.
    public func storeCredentials(
        organization: UUID,
        id: UUID,
        _ stored: StoredCredentials,
        expectedVersion: Int64? = nil,
        on connection: PostgresConnection? = nil
    ) async throws -> Bool {
        try await client.withConnection(reusing: connection) { connection in
            let rows = try await connection.query(
                """
                UPDATE connections SET credential_key_id = \(stored.sealed.keyID),
                    credential_ciphertext = \(Data(stored.sealed.ciphertext)), credential_fields = \(stored.fieldNames),
                    credentials_rotated_at = now(), credential_version = credential_version + 1,
                    token_expires_at = \(stored.tokenExpiresAt), refresh_token_expires_at = \(stored.refreshTokenExpiresAt),
                    scopes = \(stored.scopes),
                    account_id = CASE WHEN \(stored.awaitsTenantChoice) THEN NULL ELSE COALESCE(\(stored.accountID), account_id) END,
                    account_name = CASE WHEN \(stored.awaitsTenantChoice) THEN NULL ELSE COALESCE(\(stored.accountName), account_name) END,
                    tenants = CASE WHEN \(stored.tenants.isEmpty) THEN tenants ELSE \(stored.tenantsJSON) END, updated_at = now()
                WHERE org_id = \(organization) AND id = \(id) AND status <> 'disconnected'
                    AND (\(expectedVersion)::bigint IS NULL OR credential_version = \(expectedVersion))
                RETURNING id
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    /// Records the outcome of a credential test.
    public func recordTest(organization: UUID, id: UUID, ok: Bool, message: String?, accountID: String?, accountName: String?) async throws {
        try await client.query(
            """
            UPDATE connections SET last_tested_at = now(), last_test_ok = \(ok), last_test_message = \(message),
                account_id = COALESCE(\(accountID), account_id), account_name = COALESCE(\(accountName), account_name)
            WHERE org_id = \(organization) AND id = \(id)
            """,
            logger: logger
        )
    }

    /// Marks the connection disconnected and wipes its credentials, in the caller's transaction.
    /// Its sync schedules stop and its queued or running jobs are cancelled (a running job's
    /// worker sees the request at its next page boundary); the jobs stay as history. Nil when
    /// the connection was already disconnected (or does not exist): this call changed nothing.
    public func markDisconnected(organization: UUID, id: UUID, actor: String, on connection: PostgresConnection) async throws -> Connection? {
        // The connection row first: its lock holds off sync triggers and configuration writes
        // (they read it FOR SHARE) until this transaction ends.
        let wiped = try await connection.query(
            """
            UPDATE connections SET credential_key_id = NULL, credential_ciphertext = NULL, credential_fields = '{}',
                credential_version = credential_version + 1, token_expires_at = NULL, refresh_token_expires_at = NULL,
                disconnected_at = now(), sync_enabled = false
            WHERE org_id = \(organization) AND id = \(id) AND status <> 'disconnected'
            RETURNING id
            """,
            logger: logger
        )
        // Already disconnected (a concurrent DELETE won): nothing more to do, nothing to announce.
        guard try await wiped.collect().count == 1 else { return nil }
        try await connection.query(
            """
            UPDATE sync_configs SET enabled = false, next_run_at = NULL, updated_at = now()
            WHERE org_id = \(organization) AND connection_id = \(id)
            """,
            logger: logger
        )
        try await connection.query(
            """
            UPDATE sync_jobs SET cancel_requested = true,
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                status_reason = 'the connection was disconnected',
                finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
            WHERE org_id = \(organization) AND connection_id = \(id) AND status IN ('queued', 'running')
            """,
            logger: logger
        )
        return try await setStatus(
            organization: organization,
            id: id,
            to: .disconnected,
            reason: "disconnected by the organization",
            actor: actor,
            on: connection
        )
    }

    // MARK: Helpers

    static func recordHistory(
        on connection: PostgresConnection,
        id: UUID,
        organization: UUID,
        status: ConnectionStatus,
        reason: String?,
        actor: String,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO connection_status_history (connection_id, org_id, status, reason, actor)
            VALUES (\(id), \(organization), \(status.rawValue), \(reason), \(actor))
            """,
            logger: logger
        )
    }
}
