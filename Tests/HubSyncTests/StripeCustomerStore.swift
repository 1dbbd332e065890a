import Foundation
import HubConnections
import HubSync
import Logging
import PostgresNIO

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
