import Foundation
import HubCore
import Logging
import PostgresNIO

/// A fresh database for one benchmark run (`hub_bench_<hex>`), created through a URL whose role
/// may create databases and dropped afterwards, so earlier runs' rows never weigh on the figures.
public struct BenchmarkDatabase: Sendable {
    public let admin: DatabaseURL
    public let url: DatabaseURL

    public static func create(admin: DatabaseURL) async throws -> BenchmarkDatabase {
        let name = "hub_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        // Identifiers cannot be bound; `name` is made of hex digits above.
        try await withClient(admin) { client in _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
        return BenchmarkDatabase(admin: admin, url: admin.with(database: name))
    }

    public func drop() async throws {
        try await Self.withClient(admin) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)"))
        }
    }

    /// Runs `body` with a running client for `url`, shut down afterwards. PostgreSQL's errors
    /// come out as a `BenchmarkError` naming the server, since the run stops on them.
    public static func withClient<T: Sendable>(_ url: DatabaseURL, _ body: (PostgresClient) async throws -> T) async throws -> T {
        var logger = Logger(label: "bench-db")
        logger.logLevel = .error
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                return try await body(client)
            } catch let error as PSQLError {
                throw BenchmarkError("PostgreSQL at \(url.redacted): \(String(reflecting: error))")
            }
        }
    }
}
