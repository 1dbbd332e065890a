import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

/// `DatabaseURL.clientConfiguration(statementTimeoutSeconds:)`: PostgreSQL ends a statement that
/// runs too long, so one the hub abandoned gives its pool connection back.
final class StatementTimeoutTests: XCTestCase {
    func testAStatementAbandonedAtItsDeadlineGivesItsConnectionBackAtTheTimeout() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        try await TestDatabase.withClient(database.url, maximumConnections: 1, statementTimeoutSeconds: 1) { client in
            do {
                try await withDeadline(.milliseconds(200), "a slow statement") {
                    _ = try await client.query("SELECT pg_sleep(60)")
                }
                XCTFail("the deadline did not abandon the statement")
            } catch is DeadlineExceeded {}
            // The pool's one connection is still busy with it until PostgreSQL ends it.
            let started = ContinuousClock.now
            let one = try await withDeadline(.seconds(20), "the next statement") {
                try await client.query("SELECT 1::int").collect().first?.decode(Int.self)
            }
            XCTAssertEqual(one, 1)
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(20))
        }
    }

    func testMigrationsAreNotBound() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let slow = Migration(version: 1, name: "slow", sql: "SELECT pg_sleep(2.5);")
        let applied = try await TestDatabase.withClient(database.url, statementTimeoutSeconds: 1) { client in
            try await Migrator(client: client, logger: Logger(label: "test")).migrate([slow])
        }
        XCTAssertEqual(applied, [1])
    }
}
