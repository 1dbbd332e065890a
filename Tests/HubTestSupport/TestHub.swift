import Foundation
import HubCore
import Logging

/// A service's dependencies wired to the test servers, with fresh secrets per instance, and
/// helpers to mint tokens for any organization.
public struct TestHub: Sendable {
    public let dependencies: HubDependencies
    public let hs256Secret: String
    public let internalToken: String

    /// - Parameters:
    ///   - database: the database to use; defaults to the shared test database.
    ///   - redisURL: defaults to the shared test Redis.
    public static func make(
        service: HubServiceKind,
        database: DatabaseURL? = nil,
        redisURL: String? = nil,
        environment overrides: [String: String] = [:]
    ) async throws -> TestHub {
        let secret = randomToken()
        let internalToken = randomToken()
        var environment = [
            "DATABASE_URL": try database.map(\.urlString) ?? TestEnvironment.databaseURL,
            "REDIS_URL": try redisURL ?? TestEnvironment.redisURL,
            "HUB_JWT_HS256_SECRET": secret,
            "HUB_INTERNAL_TOKEN": internalToken,
            "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "test1"),
            "HUB_PORT": "0",
            "HUB_DB_POOL_SIZE": "4",
        ]
        environment.merge(overrides) { _, new in new }
        let configuration = try HubConfiguration.load(service: service, environment: environment)
        var logger = Logger(label: "test.\(service.rawValue)")
        logger.logLevel = .warning
        let dependencies = try await HubDependencies.make(configuration: configuration, logger: logger)
        return TestHub(dependencies: dependencies, hs256Secret: secret, internalToken: internalToken)
    }

    /// Runs the PostgreSQL and Redis clients while `body` runs, after applying `migrations` (every
    /// bundled one by default) to the hub's database.
    public func withStoresRunning<T: Sendable>(
        migrations: [Migration]? = nil,
        _ body: () async throws -> T
    ) async throws -> T {
        let (postgres, redis, logger) = (dependencies.postgres, dependencies.redis, dependencies.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await postgres.run() }
            group.addTask { try await redis.run() }
            defer { group.cancelAll() }
            try await Migrator(client: postgres, logger: logger).migrate(migrations ?? Migration.bundled())
            return try await body()
        }
    }

    /// Runs `body` with a hub for `service` on a database and a Redis of its own, their clients
    /// running and the database migrated (`withStoresRunning`); both are removed afterwards.
    public static func withOwnStores<T: Sendable>(
        prefix: String,
        service: HubServiceKind,
        migrations: [Migration]? = nil,
        _ body: (TestHub, TestDatabase) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withOwnStores(prefix: prefix) { database, redis in
            let hub = try await make(service: service, database: database.url, redisURL: redis.url)
            return try await hub.withStoresRunning(migrations: migrations) { try await body(hub, database) }
        }
    }

    /// A valid token for a user of `organization`.
    public func token(organization: UUID = UUID(), subject: String = "user-1", expiresIn: TimeInterval = 600) async throws -> String {
        try await dependencies.tokenVerifier.sign(Identity(organizationID: organization, subject: subject), expiresIn: expiresIn)
    }

    public static func randomToken() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
