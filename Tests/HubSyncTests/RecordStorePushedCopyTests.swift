import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import PostgresNIO
import Testing

/// A record created in the hub and pushed can meet its own object already stored: the provider's
/// "created" webhook, or a pull, came before the create's answer and made a row of its own. The
/// pushed record takes that copy's place (one row for one object), unless the copy was written to
/// since, which is the push's record-level problem. The provider id's uniqueness failed every
/// such push, and each retry of the job created the object again.
@Suite struct RecordStorePushedCopyTests {
    static let mapping = StripeConnector.defaultFieldMappings["customers"]!

    static func answer(_ id: String, name: String) -> PreparedRecord {
        let payload: JSONValue = ["id": .string(id), "object": "customer", "name": .string(name)]
        return PreparedRecord(ProviderRecord(externalID: id, updatedAt: nil, payload: payload), mapping: mapping)
    }

    @Test func aPushedCreateTakesThePlaceOfTheCopyItsWebhookMade() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            let local = try await records.createLocal(
                organization: scope.organization,
                connection: scope.connection,
                entity: "customers",
                fields: ["name": "Made in the hub"]
            )
            // The customer.created webhook's pull, before the create's answer is recorded.
            _ = try await StripeCustomerStore.pull(Self.answer("cus_race", name: "Made in the hub"), client, records, scope, logger)
            #expect(try await StripeCustomerStore.stored(records, scope).count == 2)

            let write = try #require(try await records.pendingWrites(scope: scope, after: nil, limit: 10).first)
            try await records.pushed(write, answer: Self.answer("cus_race", name: "Made in the hub"))
            let stored = try await StripeCustomerStore.stored(records, scope)
            #expect(stored.map(\.id) == [local.id], "one record for one customer, the one the hub made")
            #expect(stored.first?.externalID == "cus_race")
            #expect(stored.first?.pendingOperation == nil)
        }
    }

    @Test func aCopyWrittenToSinceIsLeftAndThePushSaysSo() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            _ = try await records.createLocal(
                organization: scope.organization,
                connection: scope.connection,
                entity: "customers",
                fields: ["name": "Made in the hub"]
            )
            let write = try #require(try await records.pendingWrites(scope: scope, after: nil, limit: 10).first)
            _ = try await StripeCustomerStore.pull(Self.answer("cus_race", name: "Made in the hub"), client, records, scope, logger)
            let copy = try #require(try await StripeCustomerStore.stored(records, scope).first { $0.externalID == "cus_race" })
            _ = try await records.updateLocal(
                organization: scope.organization,
                connection: scope.connection,
                entity: "customers",
                id: copy.id,
                fields: ["name": "Edited copy"]
            )
            await #expect(throws: (any Error).self) { try await records.pushed(write, answer: Self.answer("cus_race", name: "x")) }
            #expect(try await StripeCustomerStore.stored(records, scope).count == 2, "the edited copy is kept")
        }
    }
}
