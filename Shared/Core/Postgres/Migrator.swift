import Logging
import PostgresNIO

/// Applies pending migrations in one transaction under a transaction-scoped advisory lock, so any
/// number of replicas starting together apply each migration exactly once and all see one schema.
/// Running it again when nothing is pending changes nothing.
public struct Migrator: Sendable {
    /// The advisory lock key every process agrees on (an arbitrary constant: "hubmigr" in ASCII).
    static let lockKey: Int64 = 0x6875_626D_6967_72

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies what is pending and returns the versions applied by this call (empty when another
    /// process got there first or nothing was pending).
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [Int] {
        // Our own refusal (an edited or unknown migration) surfaces as itself.
        try await PostgresTransactionError.surfacing(MigrationError.self) { try await migrateInTransaction(migrations) }
    }

    private func migrateInTransaction(_ migrations: [Migration]) async throws -> [Int] {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            // A migration (an index on a large table) and the wait for another process's may take
            // longer than the service's statement timeout.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var applied: [Int: String] = [:]
            for try await (version, checksum) in try await connection.query(
                "SELECT version, checksum FROM schema_migrations",
                logger: logger
            ).decode((Int, String).self) {
                applied[version] = checksum
            }
            let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
            if let unknown = applied.keys.sorted().first(where: { known[$0] == nil }) {
                throw MigrationError.unknownAppliedVersion(unknown)
            }
            var done: [Int] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    guard checksum == migration.checksum else {
                        throw MigrationError.checksumMismatch(version: migration.version, name: migration.name)
                    }
                    continue
                }
                logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                for statement in SQLStatementSplitter.split(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
                done.append(migration.version)
            }
            return done
        }
    }
}
