import Foundation
import HubConnections
import HubCore
import HubSync
import HubTestSupport
import Logging
import PostgresNIO
import Testing

/// Configurations, jobs and records read back every column they were written with: the typed
/// row decoders against a real, migrated PostgreSQL.
@Suite struct SyncRepositoryRowTests {
    static func withRepositories(
        _ body: @escaping @Sendable (ConnectionRepository, SyncRepository, RecordStore) async throws -> Void
    ) async throws {
        guard let url = DatabaseURL(string: try TestEnvironment.databaseURL) else {
            throw TestEnvironmentError.missing("HUB_TEST_DATABASE_URL (as a postgres:// URL)")
        }
        try await TestDatabase.withClient(url) { client in
            var logger = Logger(label: "test.sync-rows")
            logger.logLevel = .warning
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            try await body(
                ConnectionRepository(client: client, logger: logger),
                SyncRepository(client: client, logger: logger),
                RecordStore(client: client, logger: logger)
            )
        }
    }

    @Test func aConfigReadsBackItsEnumsAndJSON() async throws {
        try await Self.withRepositories { connections, syncs, _ in
            let organization = UUID()
            let connection = try await connections.insert(
                .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
            )
            let change = SyncRepository.ConfigChange(
                direction: .bidirectional,
                schedule: .interval,
                intervalSeconds: 900,
                filters: ["status": "open", "limit": 5],
                fieldMappings: ["rules": [["target": "email", "source": "email"]]],
                conflictPolicy: .remoteWins,
                enabled: true
            )
            let written = try await syncs.putConfig(organization: organization, connection: connection.id, entity: "customers", change)
            let read = try #require(try await syncs.config(organization: organization, connection: connection.id, entity: "customers"))
            #expect(read == written)
            #expect(read.direction == .bidirectional)
            #expect(read.schedule == .interval)
            #expect(read.intervalSeconds == 900)
            #expect(read.conflictPolicy == .remoteWins)
            #expect(read.filters == ["status": "open", "limit": 5])
            #expect(read.fieldMappings == change.fieldMappings)
            #expect(read.nextRunAt != nil)
        }
    }

    @Test func aJobAndALocalRecordReadBackEveryColumn() async throws {
        try await Self.withRepositories { connections, syncs, records in
            let organization = UUID()
            let connection = try await connections.insert(
                .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
            )
            let (job, created) = try await syncs.enqueue(
                organization: organization,
                connection: connection.id,
                entity: "customers",
                direction: .push,
                fullResync: true,
                trigger: .webhook
            )
            #expect(created)
            #expect(job.status == .queued)
            #expect(job.direction == .push)
            #expect(job.trigger == .webhook)
            #expect(job.fullResync)
            #expect(job.errorSamples == [])
            #expect(try await syncs.job(organization: organization, id: job.id) == job)

            let fields: JSONValue = ["email": "ada@example.com", "name": "Ada", "tags": ["vip"]]
            let record = try await records.createLocal(
                organization: organization,
                connection: connection.id,
                entity: "customers",
                fields: fields
            )
            #expect(record.fields == fields)
            #expect(record.pendingOperation == "create")
            #expect(record.externalID == nil)
            #expect(
                try await records.record(organization: organization, connection: connection.id, entity: "customers", id: record.id)
                    == record
            )
        }
    }
}
