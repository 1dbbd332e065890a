import Foundation
import HubConnectors
import HubCore
import HubSync
import Testing

/// A record pulled again unchanged after its entity's mapping changed is re-mapped, against a real
/// PostgreSQL: the content hash covers the provider's payload, not what the mapping made of it.
@Suite struct RecordStoreMappingChangeTests {
    static func customer(_ mapping: FieldMapping) -> PreparedRecord {
        let payload: JSONValue = ["id": "cus_1", "object": "customer", "name": "Ada"]
        return PreparedRecord(ProviderRecord(externalID: "cus_1", updatedAt: nil, payload: payload, payloadText: nil), mapping: mapping)
    }

    @Test func anUnchangedRecordIsRemappedOnceAfterItsMappingChanges() async throws {
        let upper = try JSONDecoder().decode(
            FieldMapping.self,
            from: Data(#"{"rules":[{"source":"id","target":"id"},{"source":"name","target":"name","transforms":[{"type":"upper"}]}]}"#.utf8)
        )
        try await StripeCustomerStore.run { client, records, scope, logger in
            _ = try await StripeCustomerStore.pull(Self.customer(PreparedRecordTests.mapping), client, records, scope, logger)
            let same = try await StripeCustomerStore.pull(Self.customer(PreparedRecordTests.mapping), client, records, scope, logger)
            #expect(same.changes.isEmpty && same.skipped == 1, "nothing changed")

            let remapped = try await StripeCustomerStore.pull(Self.customer(upper), client, records, scope, logger)
            #expect(remapped.changes.map(\.kind) == [.updated], "the same payload, other canonical fields")
            let stored = try #require(try await StripeCustomerStore.stored(records, scope).first)
            #expect(stored.fields["name"] == "ADA")

            let again = try await StripeCustomerStore.pull(Self.customer(upper), client, records, scope, logger)
            #expect(again.changes.isEmpty && again.skipped == 1, "re-mapped once")
        }
    }
}
