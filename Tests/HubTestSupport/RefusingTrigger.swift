import Logging
import PostgresNIO

/// Makes PostgreSQL refuse writes to a table with an error of its own (a `BEFORE` trigger that
/// raises), as a full disk, a broken invariant or a bug would: how tests meet a write that fails
/// after everything before it succeeded. `remove()` takes it away again.
public struct RefusingTrigger: Sendable {
    let client: PostgresClient
    let name: String
    let table: String
    let logger: Logger

    /// Installs `name` refusing `event` (`INSERT`, `UPDATE OF credential_ciphertext`) on `table`.
    public static func install(
        _ name: String,
        refusing event: String,
        on table: String,
        message: String,
        client: PostgresClient,
        logger: Logger
    ) async throws -> RefusingTrigger {
        try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION '\(message)'; END $$
                    """
            ),
            logger: logger
        )
        try await client.query(
            PostgresQuery(unsafeSQL: "CREATE TRIGGER \(name) BEFORE \(event) ON \(table) FOR EACH ROW EXECUTE FUNCTION \(name)()"),
            logger: logger
        )
        return RefusingTrigger(client: client, name: name, table: table, logger: logger)
    }

    public func remove() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP TRIGGER \(name) ON \(table)"), logger: logger)
        try await client.query(PostgresQuery(unsafeSQL: "DROP FUNCTION \(name)()"), logger: logger)
    }
}
