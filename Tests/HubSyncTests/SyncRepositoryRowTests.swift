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
        try await withMigratedClient { client, logger in
            try await body(
                ConnectionRepository(client: client, logger: logger),
                SyncRepository(client: client, logger: logger),
                RecordStore(client: client, logger: logger)
            )
        }
    }

    static func withMigratedClient(_ body: @escaping @Sendable (PostgresClient, Logger) async throws -> Void) async throws {
        try await TestDatabase.withSharedClient { client in
            var logger = Logger(label: "test.sync-rows")
            logger.logLevel = .warning
            try await Migrator(client: client, logger: logger).migrate(Migration.bundled())
            try await body(client, logger)
        }
    }

    /// A fresh organization with a connected Stripe connection and one job enqueued on it.
    static func queuedJob(
        _ connections: ConnectionRepository,
        _ syncs: SyncRepository,
        entity: String = "customers",
        direction: SyncDirection = .pull,
        fullResync: Bool = false,
        trigger: SyncTrigger = .manual
    ) async throws -> (organization: UUID, connection: UUID, job: SyncJob, created: Bool) {
        let organization = UUID()
        let connection = try await connections.insert(
            .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
        )
        let (job, created) = try await syncs.enqueue(
            organization: organization,
            connection: connection.id,
            entity: entity,
            direction: direction,
            fullResync: fullResync,
            trigger: trigger
        )
        return (organization, connection.id, job, created)
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
            let actor = AuditActor(organizationID: organization, subject: "test", requestID: nil)
            let written = try await syncs.putConfig(by: actor, connection: connection.id, entity: "customers", change)
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
            let (organization, connection, job, created) = try await Self.queuedJob(
                connections,
                syncs,
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
                connection: connection,
                entity: "customers",
                fields: fields
            )
            #expect(record.fields == fields)
            #expect(record.pendingOperation == "create")
            #expect(record.externalID == nil)
            #expect(
                try await records.record(organization: organization, connection: connection, entity: "customers", id: record.id)
                    == record
            )
        }
    }

    /// Records hold their connection without a foreign key (0023): deleting a connection that
    /// still has records is refused by a trigger instead; one without records goes.
    @Test func aConnectionWithRecordsCannotBeDeleted() async throws {
        try await Self.withMigratedClient { client, logger in
            let connections = ConnectionRepository(client: client, logger: logger)
            let organization = UUID()
            let kept = try await connections.insert(
                .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
            )
            let empty = try await connections.insert(
                .init(organizationID: organization, provider: "shopify", name: "Other", status: .connected, actor: "test")
            )
            _ = try await RecordStore(client: client, logger: logger).createLocal(
                organization: organization,
                connection: kept.id,
                entity: "customers",
                fields: ["name": "Ada"]
            )
            do {
                try await client.query("DELETE FROM connection_status_history WHERE connection_id = \(kept.id)", logger: logger)
                try await client.query("DELETE FROM connections WHERE id = \(kept.id)", logger: logger)
                Issue.record("a connection with records was deleted")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "23503")
                #expect(error.serverInfo?[.message]?.contains("still has synced records") == true)
            }
            try await client.query("DELETE FROM connection_status_history WHERE connection_id = \(empty.id)", logger: logger)
            try await client.query("DELETE FROM connections WHERE id = \(empty.id)", logger: logger)
            let rows = try await client.query("SELECT count(*)::int FROM connections WHERE org_id = \(organization)", logger: logger)
            for try await count in rows.decode(Int.self) { #expect(count == 1) }
        }
    }
}
