import Foundation
import HubCore
import Logging
import PostgresNIO

/// A fresh database for one benchmark run, created from a URL whose role may create databases
/// and dropped afterwards, so earlier runs' rows never weigh on the figures.
struct BenchmarkDatabase {
    let admin: DatabaseURL
    let url: DatabaseURL

    static func create(adminURL: String) async throws -> BenchmarkDatabase {
        guard let admin = DatabaseURL(string: adminURL) else { throw BenchmarkError.usage("--postgres-url is not a postgres:// URL") }
        let name = "hub_whbench_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased())"
        // Identifiers cannot be bound; the name is generated above from hex digits only.
        try await run(admin, "CREATE DATABASE \(name)")
        return BenchmarkDatabase(admin: admin, url: admin.with(database: name))
    }

    func drop() async throws {
        try await Self.run(admin, "DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)")
    }

    var urlString: String {
        let credentials = url.password.map { "\(url.username):\($0)" } ?? url.username
        return "postgres://\(credentials)@\(url.host):\(url.port)/\(url.database)?sslmode=\(url.sslMode)"
    }

    static func run(_ url: DatabaseURL, _ sql: String) async throws {
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: 1), backgroundLogger: Logger(label: "bench-db"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }
}

enum BenchmarkError: Error, CustomStringConvertible {
    case usage(String)
    case failed(String)

    var description: String {
        switch self {
        case .usage(let text), .failed(let text): text
        }
    }
}
