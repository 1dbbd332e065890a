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
    /// answers, while sessions opened later work. A session is stopped only while idle, so none
    /// holds a lock: one look stops the idle ones, and for `window` the look repeats, stopping
    /// each session as it goes idle (a pool's connection busy at the first look, or one it was
    /// opening). They stay stopped until `thaw`, or for at most `thawAfter` should the test
    /// process die first. Only local PostgreSQL processes. `applicationName` picks one
    /// service's sessions (each names them after itself).
    public func freezeSessions(
        applicationName: String? = nil,
        window: Duration = .zero,
        thawAfter: Duration = .seconds(180)
    ) async throws -> [Int32] {
        let database = url.database
        let stopped = try await Self.withClient(admin) { client in
            let end = ContinuousClock.now + window
            var stopped: [Int32] = []
            do {
                repeat {
                    for (pid, idleSince) in try await Self.idleSessions(client, database: database, applicationName: applicationName)
                    where !stopped.contains(pid) {
                        guard try Self.stop(pid) else { continue }
                        // It may have taken a statement between the look and the stop: then it
                        // goes on, to be stopped once idle again.
                        let still = try await Self.idleSessions(client, database: database, applicationName: applicationName, pid: pid)
                        if still.first?.idleSince == idleSince { stopped.append(pid) } else { Self.thaw([pid]) }
                    }
                    try await Task.sleep(for: .milliseconds(10))
                } while ContinuousClock.now < end
                return stopped
            } catch {
                Self.thaw(stopped)
                throw error
            }
        }
        Self.thawLater(stopped, after: thawAfter)
        return stopped
    }

    /// Freezes `applicationName`'s sessions as `freezeSessions(applicationName:window:)` does, then
    /// asks `stuck` whether what the test waits for (a statement abandoned on a frozen session)
    /// came. A session busy through the whole window is not frozen, and on a loaded machine the
    /// one the test's statement needs may be: then the sessions idle by now are frozen too and
    /// `stuck` asked again, `tries` times at most. Answers every session frozen (thaw them) and
    /// whether `stuck` ever held; on an error the sessions are thawed.
    public func freezeSessions(
        applicationName: String,
        window: Duration,
        tries: Int = 3,
        until stuck: () async throws -> Bool
    ) async throws -> (pids: [Int32], stuck: Bool) {
        var pids: [Int32] = []
        do {
            for _ in 0..<tries {
                // A session frozen before still looks idle; it is counted once.
                for pid in try await freezeSessions(applicationName: applicationName, window: window) where !pids.contains(pid) {
                    pids.append(pid)
                }
                if try await stuck() { return (pids, true) }
            }
            return (pids, false)
        } catch {
            Self.thaw(pids)
            throw error
        }
    }

    /// The database's idle client sessions (of `applicationName`, or only `pid`) and since when.
    private static func idleSessions(
        _ client: PostgresClient,
        database: String,
        applicationName: String?,
        pid: Int32? = nil
    ) async throws -> [(pid: Int32, idleSince: Date)] {
        let rows = try await client.query(
            """
            SELECT pid, state_change FROM pg_stat_activity
            WHERE datname = \(database) AND backend_type = 'client backend' AND state = 'idle'
                AND (\(applicationName)::text IS NULL OR application_name = \(applicationName))
                AND (\(pid)::int IS NULL OR pid = \(pid))
            """
        )
        var sessions: [(pid: Int32, idleSince: Date)] = []
        for try await (pid, since) in rows.decode((Int32, Date).self) { sessions.append((pid, since)) }
        return sessions
    }

    /// A process of its own that sends SIGCONT to `pids` after `delay`, so backends a test froze
    /// do not stay stopped when the test process dies before its `thaw` (a stopped backend
    /// holds its connection slot, and `DROP DATABASE … WITH (FORCE)` cannot end it).
    private static func thawLater(_ pids: [Int32], after delay: Duration) {
        guard !pids.isEmpty else { return }
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        let list = pids.map(String.init).joined(separator: " ")
        watchdog.arguments = ["-c", "sleep \(delay.components.seconds); kill -CONT \(list) 2>/dev/null; exit 0"]
        // Not the test's output: a pipe reading it would stay open until the watchdog ends.
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try? watchdog.run()
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
    /// its sessions (for `freezeSessions`); `statementTimeoutSeconds` bounds them as a service's are.
    public static func withClient<T: Sendable>(
        _ url: DatabaseURL,
        maximumConnections: Int = 4,
        applicationName: String? = nil,
        statementTimeoutSeconds: Int = 0,
        _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: url.clientConfiguration(
                maximumConnections: maximumConnections,
                applicationName: applicationName,
                statementTimeoutSeconds: statementTimeoutSeconds
            ),
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
