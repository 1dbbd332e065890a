import Foundation
import HubTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HubCore

/// `executePrepared` against a real PostgreSQL, on a pool of one connection so that every step
/// meets what postgres-nio remembers of the statement on that connection. The statement reads a
/// temporary table: it exists only where a test made it, on its own connection.
@Suite struct PostgresConnectionPreparedTests {
    struct ReadProbe: PostgresPreparedStatement {
        static let name = "hub_test_read_probe_v1"
        static let sql = "SELECT n FROM hub_prepared_probe WHERE n >= $1 ORDER BY n"
        typealias Row = Int32
        var atLeast: Int32
        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(atLeast)
            return bindings
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int32.self) }
    }

    static let logger = Logger(label: "test.prepared")

    static func withConnection(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await TestDatabase.withSharedClient(maximumConnections: 1) { client in
            try await client.withConnection(body)
        }
    }

    static func read(_ statement: ReadProbe, on db: PostgresConnection) async throws -> [Int32] {
        var values: [Int32] = []
        for try await n in try await db.executePrepared(statement, logger: logger) { values.append(n) }
        return values
    }

    /// Inside a transaction the unnamed second try fails only because the first failure aborted
    /// it; what is thrown is the first error, the cause (no such table), not "transaction aborted".
    @Test func aFailureInATransactionThrowsItsCauseNotTheAbort() async throws {
        try await Self.withConnection { db in
            try await db.query("BEGIN", logger: Self.logger)
            let error = await #expect(throws: PSQLError.self) { try await Self.read(ReadProbe(atLeast: 0), on: db) }
            #expect(error.flatMap { PostgresError.sqlState(of: $0) } == PostgresError.Code.undefinedTable.raw)
            try await db.query("ROLLBACK", logger: Self.logger)
        }
    }

    /// postgres-nio keeps the failed preparation as the statement's answer on this connection;
    /// once the table exists, the statement still answers from the server.
    @Test func aFailedPreparationIsNotTheStatementsLastWord() async throws {
        try await Self.withConnection { db in
            await #expect(throws: PSQLError.self) { try await Self.read(ReadProbe(atLeast: 0), on: db) }
            try await db.query("CREATE TEMPORARY TABLE hub_prepared_probe (n int4 NOT NULL)", logger: Self.logger)
            try await db.query("INSERT INTO hub_prepared_probe VALUES (1), (2), (3)", logger: Self.logger)
            #expect(try await Self.read(ReadProbe(atLeast: 2), on: db) == [2, 3])
            #expect(try await Self.read(ReadProbe(atLeast: 3), on: db) == [3])
            try await db.query("DROP TABLE hub_prepared_probe", logger: Self.logger)
        }
    }
}
