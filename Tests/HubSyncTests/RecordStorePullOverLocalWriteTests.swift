import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Testing

/// A pull that meets a local write still waiting for its push, against a real PostgreSQL (the
/// canonical fields are JSON text, merged with the waiting fields as `jsonb`): with `local_wins` the
/// remote's record is taken in but the local fields stay over the remote's canonical ones and the
/// write still waits; with `remote_wins` the remote's record replaces it and the write is dropped.
@Suite struct RecordStorePullOverLocalWriteTests {
    static let mapping = StripeConnector.defaultFieldMappings["customers"]!

    static func pulled(name: String, email: String) -> PreparedRecord {
        let payload: JSONValue = ["id": "cus_1", "object": "customer", "name": .string(name), "email": .string(email)]
        return PreparedRecord(ProviderRecord(externalID: "cus_1", updatedAt: nil, payload: payload), mapping: mapping)
    }

    @Test(arguments: [ConflictPolicy.localWins, .remoteWins])
    func aPullOverAWaitingLocalWrite(policy: ConflictPolicy) async throws {
        try await StripeCustomerStore.run(policy: policy) { client, records, scope, logger in
            _ = try await StripeCustomerStore.pull(Self.pulled(name: "Ada", email: "ada@example.com"), client, records, scope, logger)
            let id = try await StripeCustomerStore.editOnlyRecord(records, scope, fields: ["name": "Local name"])

            let result = try await StripeCustomerStore.pull(
                Self.pulled(name: "Remote name", email: "new@example.com"),
                client,
                records,
                scope,
                logger
            )
            #expect(result.conflicts.map(\.winner) == [policy == .localWins ? "local" : "remote"])
            let after = try #require(
                try await records.record(organization: scope.organization, connection: scope.connection, entity: "customers", id: id)
            )
            #expect(after.fields["email"] == "new@example.com", "the remote's other fields are taken in")
            #expect(after.providerPayload?["name"] == "Remote name")
            if policy == .localWins {
                #expect(after.fields["name"] == "Local name", "\(after.fields)")
                #expect(after.pendingOperation == "update")
            } else {
                #expect(after.fields["name"] == "Remote name", "\(after.fields)")
                #expect(after.pendingOperation == nil)
            }
        }
    }
}
