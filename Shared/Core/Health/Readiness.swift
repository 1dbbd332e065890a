import HubRedis
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// Whether this process can do its work: PostgreSQL and Redis answer, and the schema is migrated.
/// Probed on every `/readyz` call (cheap: one `SELECT 1` and one `PING`, each with a deadline), so
/// readiness follows Redis or PostgreSQL going away and coming back without a restart.
public final class Readiness: Sendable {
    let postgres: PostgresClient
    let redis: RedisClient
    let timeout: Duration
    private let migrated = Mutex(false)

    public init(postgres: PostgresClient, redis: RedisClient, timeout: Duration = .seconds(1)) {
        self.postgres = postgres
        self.redis = redis
        self.timeout = timeout
    }

    /// Called once the schema is known to be current.
    public func markMigrated() {
        migrated.withLock { $0 = true }
    }

    /// Whether the schema is known to be current (background loops wait for it before querying).
    public var isMigrated: Bool {
        migrated.withLock { $0 }
    }

    public struct Report: Codable, Sendable, Equatable {
        public var ready: Bool
        /// Check name → "ok" or the reason it failed.
        public var checks: [String: String]
    }

    public func check() async -> Report {
        async let postgresResult = probe { [postgres] in
            try await postgres.query("SELECT 1")
        }
        async let redisResult = probe { [redis] in
            _ = try await redis.ping()
        }
        var checks = ["postgres": await postgresResult, "redis": await redisResult]
        checks["migrations"] = migrated.withLock { $0 } ? "ok" : "pending"
        for (dependency, result) in checks {
            Gauge(label: "hub_dependency_up", dimensions: [("dependency", dependency)]).record(result == "ok" ? 1 : 0)
        }
        return Report(ready: checks.values.allSatisfy { $0 == "ok" }, checks: checks)
    }

    private func probe(_ body: @escaping @Sendable () async throws -> Void) async -> String {
        do {
            try await withTimeout(timeout, operation: body)
            return "ok"
        } catch let error as TimeoutError {
            return "unreachable: \(error)"
        } catch {
            return "unreachable: \(String(describing: type(of: error)))"
        }
    }
}
