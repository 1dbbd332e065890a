import Foundation
import Logging

/// Everything a service reads from its environment, built once at start and passed down.
/// Every variable is documented in the README's configuration table; `hubctl config` prints the
/// effective values with secrets masked.
public struct HubConfiguration: Sendable {
    public var service: HubServiceKind
    public var host: String
    public var port: Int
    public var databaseURL: String
    public var databasePoolSize: Int
    /// PostgreSQL's own bound, in seconds, on one statement (0: none). A statement the hub abandons
    /// at its deadline otherwise runs on and keeps its pool connection, since postgres-nio sends
    /// no cancel; by default 30 s beyond the longest deadline, so it ends only what the hub has
    /// already given up on.
    public var databaseStatementTimeoutSeconds: Int
    public var redisURL: String
    public var auth: AuthConfiguration
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var maxBodyBytes: Int
    /// The most any request may take before it is answered 503 (`RequestDeadlineResponder`).
    public var requestDeadlineSeconds: Int
    /// The most a graceful shutdown may take before what is left is cancelled: under the
    /// orchestrator's grace period (30 s in `deploy/` and `docker-compose.yml`).
    public var shutdownGraceSeconds: Int
    public var runMigrations: Bool
    /// Base URLs of the other services, for service-to-service calls.
    public var serviceURLs: [HubServiceKind: String]
    /// The web UI's origin: the only place OAuth callbacks redirect a browser to.
    public var uiOrigin: String
    /// The credential vault's keys; nil only for services that hold no secret (the catalog).
    public var vaultKeyRing: VaultKeyRing?
    /// Where the providers are (production, or a sandbox), and the hub's client registrations.
    public var providers: ProviderConfiguration
    /// Access tokens expiring within this many seconds are refreshed ahead of use.
    public var tokenRefreshWindowSeconds: Int
    /// How often oauth-service looks for tokens to refresh, in seconds.
    public var tokenRefreshIntervalSeconds: Int
    /// How long an OAuth `state` stays valid: the time a user has at the provider.
    public var oauthStateTTLSeconds: Int
    /// How sync-worker runs jobs.
    public var sync = SyncConfiguration()
    /// How webhook-service sends outbound deliveries.
    public var webhooks = WebhookConfiguration()

    public enum LogFormat: String, Sendable {
        case json
        case text
    }

    /// Loads and validates configuration, listing every problem at once.
    public static func load(
        service: HubServiceKind,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> HubConfiguration {
        var env = EnvironmentReader(environment: environment)
        let host = env.optional("HUB_HOST") ?? "127.0.0.1"
        let port = env.integer("HUB_PORT", default: service.defaultPort, in: 0...65535)
        let databaseURL = env.required(
            "DATABASE_URL",
            secret: true,
            meaning: "the PostgreSQL URL, e.g. postgres://hub:hub@127.0.0.1:54329/hub"
        )
        if !databaseURL.isEmpty, DatabaseURL(string: databaseURL) == nil {
            env.problem("DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        let poolSize = env.integer("HUB_DB_POOL_SIZE", default: 10, in: 1...500)
        let redisURL = env.required("REDIS_URL", secret: true, meaning: "the Redis URL, e.g. redis://127.0.0.1:63799/0")
        let auth = AuthConfiguration.load(from: &env)
        let levelName = env.optional("HUB_LOG_LEVEL") ?? "info"
        let level = Logger.Level(rawValue: levelName.lowercased())
        if level == nil { env.problem("HUB_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical") }
        let formatName = env.optional("HUB_LOG_FORMAT") ?? "json"
        let format = LogFormat(rawValue: formatName.lowercased())
        if format == nil { env.problem("HUB_LOG_FORMAT must be json or text") }
        let maxBody = env.integer("HUB_MAX_BODY_BYTES", default: 1 << 20, in: 1024...(64 << 20))
        // Above the providers' 30 s timeout, so a connection test that waits on a slow provider
        // ends in the provider's error, not this one.
        let requestDeadline = env.integer("HUB_REQUEST_DEADLINE_SECONDS", default: 45, in: 1...600)
        let shutdownGrace = env.integer("HUB_SHUTDOWN_GRACE_SECONDS", default: 20, in: 1...3_600)
        let runMigrations = env.boolean("HUB_RUN_MIGRATIONS", default: true)
        var urls: [HubServiceKind: String] = [:]
        for kind in HubServiceKind.allCases {
            let name = "HUB_SERVICE_URL_" + kind.environmentSuffix
            urls[kind] = env.optional(name) ?? "http://127.0.0.1:\(kind.defaultPort)"
        }
        var uiOrigin = env.optional("HUB_UI_ORIGIN") ?? "http://127.0.0.1:8080"
        if uiOrigin.hasSuffix("/") { uiOrigin.removeLast() }
        if let url = URL(string: uiOrigin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        {
            // an origin: scheme, host, optional port
        } else {
            env.problem("HUB_UI_ORIGIN must be an origin like https://app.example.com (scheme, host, optional port; no path)")
        }
        let keyRing = service.holdsSecrets ? Self.loadVaultKeyRing(from: &env) : nil
        let providers = ProviderConfiguration.load(from: &env, service: service)
        let refreshWindow = env.integer("HUB_TOKEN_REFRESH_WINDOW_SECONDS", default: 600, in: 10...86_400)
        let refreshInterval = env.integer("HUB_TOKEN_REFRESH_INTERVAL_SECONDS", default: 60, in: 1...3_600)
        let stateTTL = env.integer("HUB_OAUTH_STATE_TTL_SECONDS", default: 600, in: 1...3_600)
        let sync = SyncConfiguration.load(from: &env)
        let webhooks = WebhookConfiguration.load(from: &env)
        let longestDeadline = max(
            Self.inboundBatchDeadlineSeconds,
            requestDeadline,
            sync.storeDeadlineSeconds,
            webhooks.storeDeadlineSeconds
        )
        let statementTimeout = env.integer("HUB_DB_STATEMENT_TIMEOUT_SECONDS", default: longestDeadline + 30, in: 0...172_800)

        guard env.problems.isEmpty else { throw ConfigurationError(problems: env.problems) }
        return HubConfiguration(
            service: service,
            host: host,
            port: port,
            databaseURL: databaseURL,
            databasePoolSize: poolSize,
            databaseStatementTimeoutSeconds: statementTimeout,
            redisURL: redisURL,
            auth: auth,
            logLevel: level ?? .info,
            logFormat: format ?? .json,
            maxBodyBytes: maxBody,
            requestDeadlineSeconds: requestDeadline,
            shutdownGraceSeconds: shutdownGrace,
            runMigrations: runMigrations,
            serviceURLs: urls,
            uiOrigin: uiOrigin,
            vaultKeyRing: keyRing,
            providers: providers,
            tokenRefreshWindowSeconds: refreshWindow,
            tokenRefreshIntervalSeconds: refreshInterval,
            oauthStateTTLSeconds: stateTTL,
            sync: sync,
            webhooks: webhooks
        )
    }

    /// How long an inbound processing batch's transaction may take (`InboundEventProcessor`): the
    /// longest deadline set in code on a call to PostgreSQL, so the statement timeout's floor.
    public static let inboundBatchDeadlineSeconds = 60

    /// The key ring, or a problem saying what to set: a service that holds secrets never starts
    /// without one (no ephemeral key that would leave stored credentials unreadable after a restart).
    static func loadVaultKeyRing(from env: inout EnvironmentReader) -> VaultKeyRing? {
        let keys = env.required(
            "HUB_VAULT_KEYS",
            secret: true,
            meaning: "the credential vault's key ring, <id>:<base64 of 32 bytes>[,…] (`hubctl vault generate-key`)"
        )
        guard !keys.isEmpty else { return nil }
        do {
            return try VaultKeyRing(configuration: keys, activeKeyID: env.optional("HUB_VAULT_ACTIVE_KEY"))
        } catch {
            env.problem(error.description)
            return nil
        }
    }

    /// The vault for this service's secrets; only services that hold secrets ask for it, and
    /// their configuration cannot load without a key ring.
    public func vault() -> CredentialVault {
        guard let vaultKeyRing else { preconditionFailure("\(service.rawValue) has no credential vault configured") }
        return CredentialVault(keyRing: vaultKeyRing)
    }

    /// The effective configuration as name/value pairs, secrets masked: what `hubctl config`
    /// prints and what a service logs at start.
    public var redactedDescription: [(name: String, value: String)] {
        var rows: [(String, String)] = [
            ("HUB_SERVICE", service.rawValue),
            ("HUB_HOST", host),
            ("HUB_PORT", String(port)),
            ("DATABASE_URL", DatabaseURL(string: databaseURL)?.redacted ?? "***"),
            ("HUB_DB_POOL_SIZE", String(databasePoolSize)),
            ("HUB_DB_STATEMENT_TIMEOUT_SECONDS", String(databaseStatementTimeoutSeconds)),
            ("REDIS_URL", Self.redactURLPassword(redisURL)),
            ("HUB_JWT_HS256_SECRET", auth.hs256Secret == nil ? "(unset)" : "***"),
            ("HUB_JWT_PUBLIC_KEY_PEM", auth.publicKeyPEM == nil ? "(unset)" : "(set)"),
            ("HUB_JWT_ISSUER", auth.issuer ?? "(unset)"),
            ("HUB_JWT_AUDIENCE", auth.audience ?? "(unset)"),
            ("HUB_INTERNAL_TOKEN", "***"),
            ("HUB_LOG_LEVEL", logLevel.rawValue),
            ("HUB_LOG_FORMAT", logFormat.rawValue),
            ("HUB_MAX_BODY_BYTES", String(maxBodyBytes)),
            ("HUB_REQUEST_DEADLINE_SECONDS", String(requestDeadlineSeconds)),
            ("HUB_SHUTDOWN_GRACE_SECONDS", String(shutdownGraceSeconds)),
            ("HUB_RUN_MIGRATIONS", String(runMigrations)),
        ]
        for kind in HubServiceKind.allCases {
            rows.append(("HUB_SERVICE_URL_" + kind.environmentSuffix, serviceURLs[kind] ?? ""))
        }
        rows.append(("HUB_UI_ORIGIN", uiOrigin))
        if let vaultKeyRing {
            rows.append(("HUB_VAULT_KEYS", "(\(vaultKeyRing.keyIDs.joined(separator: ", ")); values hidden)"))
            rows.append(("HUB_VAULT_ACTIVE_KEY", vaultKeyRing.activeKeyID))
        }
        rows += providers.redactedDescription
        rows.append(("HUB_TOKEN_REFRESH_WINDOW_SECONDS", String(tokenRefreshWindowSeconds)))
        rows.append(("HUB_TOKEN_REFRESH_INTERVAL_SECONDS", String(tokenRefreshIntervalSeconds)))
        rows.append(("HUB_OAUTH_STATE_TTL_SECONDS", String(oauthStateTTLSeconds)))
        rows += sync.redactedDescription
        rows += webhooks.redactedDescription
        return rows
    }

    static func redactURLPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "***" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "***"
    }
}

extension HubServiceKind {
    /// Whether the service reads or writes sealed secrets, and so needs the vault's key ring.
    public var holdsSecrets: Bool {
        self != .catalog && self != .console
    }

    /// `HUB_SERVICE_URL_<suffix>`: CATALOG, CONNECTION, OAUTH, SYNC_WORKER, WEBHOOK.
    var environmentSuffix: String {
        switch self {
        case .catalog: "CATALOG"
        case .connection: "CONNECTION"
        case .oauth: "OAUTH"
        case .syncWorker: "SYNC_WORKER"
        case .webhook: "WEBHOOK"
        case .console: "CONSOLE"
        }
    }
}
