import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Logging
import Synchronization

/// What one job needs at hand to talk to its provider: the connector with fresh credentials, the
/// rate it keeps to, the mapping into canonical fields, the conflict policy. Its `call` absorbs
/// transient failures within the job's retry budget and refreshes an OAuth token the provider
/// refused once.
final class SyncSession: Sendable {
    let connection: Connection
    let lifecycle: ConnectionLifecycle
    let account: String
    let rateLimit: SyncConfiguration.RateLimit
    /// The provider's limit on the whole app (Xero's per-app minute), in a bucket of its own.
    let appRateLimit: SyncConfiguration.RateLimit?
    let conflictPolicy: ConflictPolicy
    /// The connector's default mapping of the job's entity with the organization's override.
    let mapping: FieldMapping
    let logger: Logger
    /// Tells the job a rate limit holds it (waits of a quarter second or more: shorter ones are
    /// the limiter's ordinary pacing, not worth a write).
    let reportWait: @Sendable (Duration) async -> Void
    /// How long reading the connection's credentials may take (`HUB_SYNC_STORE_DEADLINE_SECONDS`).
    let storeDeadline: Duration
    private let connector: Mutex<any DataConnector>

    /// The most records the connector writes a call, or nil when it writes one at a time.
    var largestBatch: Int? {
        let type = Swift.type(of: connector.withLock { $0 })
        return (type as? any BatchPushingConnector.Type)?.largestBatch
    }

    private init(
        connection: Connection,
        lifecycle: ConnectionLifecycle,
        connector: any DataConnector,
        rateLimit: SyncConfiguration.RateLimit,
        conflictPolicy: ConflictPolicy,
        mapping: FieldMapping,
        reportWait: @escaping @Sendable (Duration) async -> Void,
        storeDeadline: Duration,
        logger: Logger
    ) {
        self.storeDeadline = storeDeadline
        self.reportWait = { wait in if wait >= .milliseconds(250) { await reportWait(wait) } }
        self.connection = connection
        self.lifecycle = lifecycle
        self.connector = Mutex(connector)
        // Limits belong to the provider account (one Stripe account, one shop), whichever
        // connection reaches it.
        self.account = "\(connection.provider):\(connection.accountID ?? connection.id.uuidString.lowercased())"
        self.rateLimit = rateLimit
        self.appRateLimit = ProviderRateLimits.appWide(for: connection.provider)
        self.conflictPolicy = conflictPolicy
        self.mapping = mapping
        self.logger = logger
    }

    static func open(
        job: RunningJob,
        connection: Connection,
        config: SyncConfig?,
        lifecycle: ConnectionLifecycle,
        settings: SyncConfiguration,
        reportWait: @escaping @Sendable (Duration) async -> Void,
        logger: Logger
    ) async throws -> SyncSession {
        let connector = try await Self.connector(for: connection, lifecycle: lifecycle, force: false, within: settings.storeDeadline)
        let type = Swift.type(of: connector)
        let mapping: FieldMapping
        do {
            mapping = try SyncMapping.effective(connectorType: type, entity: job.entity, override: config?.fieldMappings)
        } catch {
            throw SyncFailure(message: error.message)
        }
        let limit = settings.rateLimits[connection.provider] ?? ProviderRateLimits.default(for: connection.provider)
        return SyncSession(
            connection: connection,
            lifecycle: lifecycle,
            connector: connector,
            rateLimit: limit,
            conflictPolicy: config?.conflictPolicy ?? .newestWins,
            mapping: mapping,
            reportWait: reportWait,
            storeDeadline: settings.storeDeadline,
            logger: logger
        )
    }

    /// A connector with the connection's fresh credentials. Reading them is a call to PostgreSQL
    /// (and perhaps to oauth-service), abandoned after `within` like the job's other calls.
    static func connector(
        for connection: Connection,
        lifecycle: ConnectionLifecycle,
        force: Bool,
        within deadline: Duration
    ) async throws -> any DataConnector {
        let fields = try await withDeadline(deadline, "reading a connection's credentials") {
            try await lifecycle.tokens.freshCredentials(for: connection, actor: "sync-worker", force: force)
        }
        guard let connector = lifecycle.factory.connector(provider: connection.provider, credentials: fields.values) as? any DataConnector else {
            throw SyncFailure(message: "the hub cannot sync \(connection.provider) records yet")
        }
        return connector
    }

    /// One provider call under the shared rate limit. Rate limits, 5xx and network failures are
    /// retried with backoff (a 429's `Retry-After` pauses every replica) until `budget` failures;
    /// a refused token is refreshed once; anything else ends the job with a readable reason. A
    /// create (`creating`) the provider may have carried out before failing is not sent again
    /// where a second would make a second object (`createsAreRepeatable`): a record-level problem.
    func call<T: Sendable>(
        limiter: ProviderRateLimiter,
        budget: Int,
        creating: Bool = false,
        _ body: @Sendable (any DataConnector) async throws -> T
    ) async throws -> T {
        var failures = 0
        var refreshed = false
        while true {
            try await limiter.acquire(account: account, limit: rateLimit, willWait: reportWait)
            if let appRateLimit {
                try await limiter.acquire(account: "\(connection.provider):app", limit: appRateLimit, willWait: reportWait)
            }
            let current = connector.withLock { $0 }
            // A create whose second sending would make a second object.
            let sentOnce = creating && !type(of: current).createsAreRepeatable
            let error: ConnectorError
            do {
                return try await body(current)
            } catch let failure as ConnectorError {
                error = failure
            }
            switch error {
            case .authenticationFailed where !refreshed:
                refreshed = true
                let renewed = try await Self.connector(for: connection, lifecycle: lifecycle, force: true, within: storeDeadline)
                connector.withLock { $0 = renewed }
                continue
            case .unavailable where sentOnce, .network where sentOnce:
                throw SyncFailure(
                    message: "\(connection.provider) may have made it before the call failed (\(error.message)); the hub does not send a create "
                        + "that could make a second one again itself: check \(connection.provider), then push again or delete the record",
                    recordLevel: true
                )
            case .rateLimited, .unavailable, .network:
                failures += 1
                guard failures <= budget else {
                    throw SyncFailure(message: "gave up after \(failures) failed calls to \(connection.provider): \(error.message)")
                }
                let wait: Duration
                if case .rateLimited(let retryAfter?) = error {
                    wait = retryAfter
                    try await limiter.pause(account: account, for: retryAfter)
                    await reportWait(retryAfter)
                } else {
                    wait = RetryPolicy().backoff(afterAttempt: failures)
                }
                logger.info(
                    "provider call failed; retrying",
                    metadata: ["failures": "\(failures)", "wait_ms": "\(wait.wholeMilliseconds)", "error": "\(error.code)"]
                )
                try await Task.sleep(for: wait)
            case .conflict:
                throw SyncFailure(message: error.message, recordLevel: true, conflict: true)
            case .validation, .notFound:
                throw SyncFailure(message: error.message, recordLevel: true)
            default:
                throw SyncFailure(message: "\(connection.provider) refused the sync: \(error.message)")
            }
        }
    }
}
