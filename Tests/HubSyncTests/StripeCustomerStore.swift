import Foundation
import HubConnections
import HubCore
import HubSync
import Logging
import PostgresNIO
import Testing

/// A migrated database holding one Stripe connection, with the record store and the scope of its
/// customers, for the record store's tests.
enum StripeCustomerStore {
    static func run(
        policy: ConflictPolicy = .remoteWins,
        _ body: @escaping @Sendable (PostgresClient, RecordStore, RecordStore.Scope, Logger) async throws -> Void
    ) async throws {
        try await SyncRepositoryRowTests.withMigratedClient { client, logger in
            let organization = UUID()
            let connection = try await ConnectionRepository(client: client, logger: logger).insert(
                .init(organizationID: organization, provider: "stripe", name: "Stripe", status: .connected, actor: "test")
            )
            let scope = RecordStore.Scope(
                organization: organization,
                connection: connection.id,
                entity: "customers",
                seenJob: nil,
                conflictPolicy: policy
            )
            try await body(client, RecordStore(client: client, logger: logger), scope, logger)
        }
    }
}

extension StripeCustomerStore {
    /// Pulls one record in its own transaction.
    static func pull(
        _ record: PreparedRecord,
        _ client: PostgresClient,
        _ records: RecordStore,
        _ scope: RecordStore.Scope,
        _ logger: Logger
    ) async throws -> RecordStore.PageResult {
        try await client.withTransaction(logger: logger) { db in
            try await records.applyPull([record], deletedIDs: [], scope: scope, on: db)
        }
    }

    /// The scope's stored records (deleted ones too with `includeDeleted`), in the store's order.
    static func stored(_ records: RecordStore, _ scope: RecordStore.Scope, includeDeleted: Bool = false) async throws -> [SyncRecord] {
        try await records.list(
            organization: scope.organization,
            connection: scope.connection,
            entity: scope.entity,
            filter: .init(includeDeleted: includeDeleted),
            page: .init()
        )
    }

    /// Edits the scope's one stored record locally (a write that waits for a push); its id.
    static func editOnlyRecord(_ records: RecordStore, _ scope: RecordStore.Scope, fields: JSONValue) async throws -> UUID {
        let stored = try #require(try await Self.stored(records, scope).first)
        _ = try await records.updateLocal(
            organization: scope.organization,
            connection: scope.connection,
            entity: scope.entity,
            id: stored.id,
            fields: fields
        )
        return stored.id
    }
}
