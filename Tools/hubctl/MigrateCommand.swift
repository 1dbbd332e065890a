import ArgumentParser
import Foundation
import HubCore
import Logging
import PostgresNIO

/// `hubctl migrate`: applies pending migrations to `DATABASE_URL` (safe to run beside starting
/// services: everyone takes the same advisory lock).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (DATABASE_URL)."
    )

    @Option(help: "The database URL; defaults to DATABASE_URL.")
    var databaseURL: String?

    func run() async throws {
        guard let raw = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"],
            let url = DatabaseURL(string: raw)
        else {
            throw ValidationError("DATABASE_URL (or --database-url) must be a postgres:// URL")
        }
        let logger = Logger(label: "hubctl")
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        let applied = try await withThrowingTaskGroup(of: [Int]?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            group.addTask {
                try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            return []
        }
        if applied.isEmpty {
            print("schema is up to date (\(url.redacted))")
        } else {
            print("applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(url.redacted)")
        }
    }
}
