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
    private let migration = Mutex(MigrationState())

    private struct MigrationState {
        var done = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    public init(postgres: PostgresClient, redis: RedisClient, timeout: Duration = .seconds(1)) {
        self.postgres = postgres
        self.redis = redis
        self.timeout = timeout
    }

    /// Called once the schema is known to be current.
    public func markMigrated() {
        let waiters = migration.withLock { state in
            state.done = true
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether the schema is known to be current.
    public var isMigrated: Bool {
        migration.withLock { $0.done }
    }

    /// Returns once the schema is known to be current; throws `CancellationError` if the task is
    /// cancelled first.
    public func waitUntilMigrated() async throws {
        let waiter = migration.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Registered under the lock that the cancellation handler takes too: a cancel
                // either finds the waiter or is seen here.
                let resumeNow = migration.withLock { state in
                    if state.done || Task.isCancelled { return true }
                    state.waiters[waiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            migration.withLock { $0.waiters.removeValue(forKey: waiter) }?.resume()
        }
        if !isMigrated { throw CancellationError() }
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
        checks["migrations"] = isMigrated ? "ok" : "pending"
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
