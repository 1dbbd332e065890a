import Foundation
import HubCore
import Logging
import PostgresNIO

/// A throwaway database on the test server: created empty, dropped by `drop()`. Each test class
/// that needs a schema of its own (migration tests) makes one; others share a migrated database
/// and isolate their rows by organization id.
public struct TestDatabase: Sendable {
    public let url: DatabaseURL
    let admin: DatabaseURL

    /// The database `HUB_TEST_DATABASE_URL` names: the one tests share.
    public static var sharedURL: DatabaseURL {
        get throws {
            guard let url = DatabaseURL(string: try TestEnvironment.databaseURL) else {
                throw TestEnvironmentError.missing("HUB_TEST_DATABASE_URL (as a postgres:// URL)")
            }
            return url
        }
    }

    /// Runs `body` with a running client of the shared database, shut down afterwards.
    public static func withSharedClient<T: Sendable>(
        maximumConnections: Int = 4,
        _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        try await withClient(try sharedURL, maximumConnections: maximumConnections, body)
    }

    public static func create(prefix: String = "hub_test") async throws -> TestDatabase {
        let admin = try sharedURL
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        try await Self.withClient(admin) { client in
            // Identifiers cannot be bound; `name` is generated above from hex digits only.
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return TestDatabase(url: admin.with(database: name), admin: admin)
    }

    public func drop() async throws {
        try await Self.withClient(admin) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)"))
        }
    }

    /// Makes the database unreachable as if its server were down: open sessions are ended and
    /// new ones refused (`drop()` still works).
    public func refuseConnections() async throws {
        try await Self.withClient(admin) { client in
            // `url.database` is generated from hex digits only (see `create`).
            _ = try await client.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \(url.database) ALLOW_CONNECTIONS false"))
            _ = try await client.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(url.database)"
            )
        }
    }

    /// Freezes client sessions of the database (SIGSTOP of their backends), as connections whose
    /// server went away without their client hearing of it: a statement sent on one never
    /// answers, while sessions opened later work. A session is stopped only when idle, so none
    /// holds a lock: one look stops the idle ones, and for `window` the look repeats, stopping
    /// each session as it goes idle or opens (a pool's connection busy at the first look, or one
    /// it was opening). Only local PostgreSQL processes. Returns them, for `thaw`.
    /// `applicationName` picks one service's sessions (each names them after itself).
    public func freezeSessions(applicationName: String? = nil, window: Duration = .zero) async throws -> [Int32] {
        let database = url.database
        return try await Self.withClient(admin) { client in
            let end = ContinuousClock.now + window
            var stopped: [Int32] = []
            do {
                repeat {
                    let rows = try await client.query(
                        """
                        SELECT pid FROM pg_stat_activity
                        WHERE datname = \(database) AND backend_type = 'client backend' AND state = 'idle'
                            AND (\(applicationName)::text IS NULL OR application_name = \(applicationName))
                        """
                    )
                    for try await pid in rows.decode(Int32.self) where !stopped.contains(pid) {
                        if try Self.stop(pid) { stopped.append(pid) }
                    }
                    try await Task.sleep(for: .milliseconds(10))
                } while ContinuousClock.now < end
                return stopped
            } catch {
                Self.thaw(stopped)
                throw error
            }
        }
    }

    /// Stops one backend; false when it is gone meanwhile or not a local server's process.
    private static func stop(_ pid: Int32) throws -> Bool {
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard command == "postgres" else { return false }
        if kill(pid, SIGSTOP) == 0 { return true }
        guard errno == ESRCH else {
            throw TestEnvironmentError.missing("permission to stop PostgreSQL backend \(pid) (errno \(errno))")
        }
        return false
    }

    /// Lets sessions `freezeSessions` stopped go on.
    public static func thaw(_ pids: [Int32]) {
        for pid in pids { kill(pid, SIGCONT) }
    }

    /// Runs `body` with a running client for `url`, shut down afterwards. `applicationName` names
    /// its sessions (for `freezeSessions`).
    public static func withClient<T: Sendable>(
        _ url: DatabaseURL,
        maximumConnections: Int = 4,
        applicationName: String? = nil,
        _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: url.clientConfiguration(maximumConnections: maximumConnections, applicationName: applicationName),
            backgroundLogger: Logger(label: "test-db")
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            group.addTask { try await body(client) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}

extension TestDatabase {
    /// Runs `body` with a fresh database (named after `prefix`) and a Redis server of its own, for
    /// tests whose work spans the whole database or Redis (an outbox relay, a `FLUSHALL`); both
    /// are gone afterwards, whether `body` returned or threw.
    public static func withOwnStores<T>(
        prefix: String,
        _ body: (TestDatabase, RedisServerProcess) async throws -> T
    ) async throws -> T {
        let database = try await TestDatabase.create(prefix: prefix)
        let redis: RedisServerProcess
        do {
            redis = try await RedisServerProcess.start()
        } catch {
            try? await database.drop()
            throw error
        }
        do {
            let result = try await body(database, redis)
            await redis.stop()
            try await database.drop()
            return result
        } catch {
            await redis.stop()
            try? await database.drop()
            throw error
        }
    }
}
