import Foundation
import HubCore
import HubTestSupport
import Logging
import PostgresNIO
import XCTest

final class MigratorTests: XCTestCase {
    func testTwoProcessesMigratingAtOnceEndInOneSchema() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let environment = ["DATABASE_URL": database.url.urlString]
        async let first = ChildProcess.run("hubctl", arguments: ["migrate"], environment: environment)
        async let second = ChildProcess.run("hubctl", arguments: ["migrate"], environment: environment)
        let results = try await [first, second]
        for (status, output) in results {
            XCTAssertEqual(status, 0, output)
        }
        // Exactly one of them applied the migrations; the other found the schema current.
        XCTAssertEqual(results.filter { $0.1.contains("applied migrations") }.count, 1, results.map(\.1).joined())
        let bundled = try Migration.bundled()
        let rows = try await Self.appliedVersions(database.url)
        XCTAssertEqual(rows, bundled.map(\.version))
    }

    func testConcurrentMigratorsApplyEachVersionOnceAndRerunChangesNothing() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let migrations = try Migration.bundled()
        let applied = try await TestDatabase.withClient(database.url) { client in
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<8 {
                    group.addTask { try await Migrator(client: client, logger: Logger(label: "test")).migrate(migrations) }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
        }
        XCTAssertEqual(applied.sorted(), migrations.map(\.version))
        let again = try await TestDatabase.withClient(database.url) { client in
            try await Migrator(client: client, logger: Logger(label: "test")).migrate(migrations)
        }
        XCTAssertEqual(again, [])
    }

    func testAnEditedMigrationIsRefused() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let original = [Migration(version: 1, name: "t", sql: "CREATE TABLE t (id int);")]
        let edited = [Migration(version: 1, name: "t", sql: "CREATE TABLE t (id bigint);")]
        try await TestDatabase.withClient(database.url) { client in
            let migrator = Migrator(client: client, logger: Logger(label: "test"))
            try await migrator.migrate(original)
            do {
                try await migrator.migrate(edited)
                XCTFail("an edited migration was accepted")
            } catch let error as MigrationError {
                XCTAssertEqual(error, .checksumMismatch(version: 1, name: "t"))
            }
        }
    }

    func testADatabaseAheadOfThisBuildIsRefused() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let newer = [
            Migration(version: 1, name: "a", sql: "CREATE TABLE a (id int);"),
            Migration(version: 2, name: "b", sql: "CREATE TABLE b (id int);"),
        ]
        try await TestDatabase.withClient(database.url) { client in
            let migrator = Migrator(client: client, logger: Logger(label: "test"))
            try await migrator.migrate(newer)
            do {
                try await migrator.migrate(Array(newer.prefix(1)))
                XCTFail("an older build migrated a newer database")
            } catch let error as MigrationError {
                XCTAssertEqual(error, .unknownAppliedVersion(2))
            }
        }
    }

    func testAFailingMigrationLeavesNothingBehind() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { try? await database.drop() }
        let broken = [
            Migration(version: 1, name: "ok", sql: "CREATE TABLE ok (id int);"),
            Migration(version: 2, name: "broken", sql: "CREATE TABLE broken (id int); SELECT * FROM missing_table;"),
        ]
        let versions = try await TestDatabase.withClient(database.url) { client -> [Int] in
            let migrator = Migrator(client: client, logger: Logger(label: "test"))
            do {
                try await migrator.migrate(broken)
                XCTFail("a failing migration succeeded")
            } catch {}
            let tables = try await client.query("SELECT count(*)::int FROM pg_tables WHERE tablename IN ('ok', 'broken')")
                .decode(Int.self).reduce(0, +)
            XCTAssertEqual(tables, 0)
            return []
        }
        XCTAssertEqual(versions, [])
    }

    static func appliedVersions(_ url: DatabaseURL) async throws -> [Int] {
        try await TestDatabase.withClient(url) { client in
            var versions: [Int] = []
            for try await version in try await client.query("SELECT version FROM schema_migrations ORDER BY version").decode(Int.self) {
                versions.append(version)
            }
            return versions
        }
    }
}
