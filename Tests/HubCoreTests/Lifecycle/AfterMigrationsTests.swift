import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceLifecycle
import Synchronization
import XCTest

/// Background loops start once the schema is current: on a fresh database, a loop that queried
/// at once found no tables (oauth-service logged "could not list expiring tokens" on every first
/// start).
final class AfterMigrationsTests: XCTestCase {
    /// Records what its first query found, then idles until shutdown.
    final class SchemaProbe: Service {
        let postgres: PostgresClient
        let outcome = Mutex<String?>(nil)

        init(postgres: PostgresClient) { self.postgres = postgres }

        func run() async throws {
            let found: String
            do {
                let rows = try await postgres.query("SELECT count(*)::int FROM sync_records")
                found = "ok: \(try await rows.collect().count) row"
            } catch {
                found = "failed: \(String(reflecting: error))"
            }
            outcome.withLock { $0 = found }
            try? await gracefulShutdown()
        }
    }

    func testBackgroundServicesStartOnceAFreshDatabaseIsMigrated() async throws {
        let database = try await TestDatabase.create(prefix: "hub_after")
        addTeardownBlock { try? await database.drop() }
        let hub = try await TestHub.make(service: .oauth, database: database.url)
        let probe = SchemaProbe(postgres: hub.dependencies.postgres)
        let app = HubApplication.build(
            dependencies: hub.dependencies,
            openAPI: OpenAPIDocument(bytes: Array("{}".utf8)),
            backgroundServices: [probe]
        ) { _ in }
        try await app.test(.live) { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            XCTAssertEqual(response.status, .ok)
            _ = try await waitUntil(upTo: .seconds(30)) { probe.outcome.withLock { $0 } != nil }
            XCTAssertEqual(probe.outcome.withLock { $0 }, "ok: 1 row")
        }
    }

    func testAWaitForTheSchemaEndsWhenItIsMigratedOrCancelled() async throws {
        let hub = try await TestHub.make(service: .catalog)
        let readiness = hub.dependencies.readiness
        XCTAssertFalse(readiness.isMigrated)

        let cancelled = Task { try await readiness.waitUntilMigrated() }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        do {
            try await cancelled.value
            XCTFail("a cancelled wait returned as if migrated")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }

        let waiting = Task { try await readiness.waitUntilMigrated() }
        try await Task.sleep(for: .milliseconds(50))
        readiness.markMigrated()
        try await waiting.value
        try await readiness.waitUntilMigrated()  // once migrated, returns at once
    }
}
