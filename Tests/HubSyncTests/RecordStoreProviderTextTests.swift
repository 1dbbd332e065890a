import Foundation
import HubConnectors
import HubCore
import HubSync
import Logging
import PostgresNIO
import Testing

/// A pull stores a listing's text as the provider wrote it; the hub's own writing of the same
/// object (a webhook's, a single fetch's) hashes differently but is the same content, against a
/// real PostgreSQL: it is neither a change nor a conflict with a waiting local write.
@Suite struct RecordStoreProviderTextTests {
    static func storedPayload(_ client: PostgresClient, _ scope: RecordStore.Scope, _ logger: Logger) async throws -> String? {
        let rows = try await client.query("SELECT payload FROM sync_records WHERE connection_id = \(scope.connection)", logger: logger)
        for try await payload in rows.decode(String?.self) { return payload }
        return nil
    }

    @Test func anotherWritingOfTheStoredContentChangesNothing() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            let listed = PreparedRecordTests.customer(name: "Ada", listed: true)
            #expect(try await StripeCustomerStore.pull(listed, client, records, scope, logger).changes.map(\.kind) == [.created])
            #expect(try await Self.storedPayload(client, scope, logger) == listed.payload, "the provider's text, as it came")

            let same = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Ada", listed: false), client, records, scope, logger)
            #expect(same.changes.isEmpty)
            #expect(same.skipped == 1)
            #expect(try await Self.storedPayload(client, scope, logger) == listed.payload, "not rewritten")

            let changed = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Bea", listed: false), client, records, scope, logger)
            #expect(changed.changes.map(\.kind) == [.updated])
            let back = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Bea", listed: true), client, records, scope, logger)
            #expect(back.changes.isEmpty, "the listing's writing of what a webhook stored")
        }
    }

    @Test func aWaitingLocalWriteMeetsAnotherWritingOfTheStoredContentWithoutConflict() async throws {
        try await StripeCustomerStore.run(policy: .remoteWins) { client, records, scope, logger in
            _ = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Ada", listed: true), client, records, scope, logger)
            let id = try await StripeCustomerStore.editOnlyRecord(records, scope, fields: ["name": "Local name"])
            let result = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Ada", listed: false), client, records, scope, logger)
            #expect(result.conflicts.isEmpty, "the remote did not change")
            #expect(result.skipped == 1)
            let after = try #require(
                try await records.record(organization: scope.organization, connection: scope.connection, entity: "customers", id: id)
            )
            #expect(after.pendingOperation == "update", "the local write still waits")
            #expect(after.fields["name"] == "Local name")
        }
    }

    /// A listed customer whose name holds U+0000, which PostgreSQL's `jsonb` refuses.
    static func withNUL(listed: Bool) -> PreparedRecord {
        let payload: JSONValue = ["id": "cus_1", "object": "customer", "name": "A\u{0}B"]
        let text = Array(#"{"id":"cus_1","object":"customer","name":"A\u0000B"}"#.utf8)
        let record = ProviderRecord(externalID: "cus_1", updatedAt: nil, payload: payload, payloadText: listed ? text[...] : nil)
        return PreparedRecord(record, mapping: PreparedRecordTests.mapping)
    }

    static func storedFlag(_ client: PostgresClient, _ scope: RecordStore.Scope, _ logger: Logger) async throws -> Bool? {
        let rows = try await client.query("SELECT payload_is_providers FROM sync_records WHERE connection_id = \(scope.connection)", logger: logger)
        for try await flag in rows.decode(Bool.self) { return flag }
        return nil
    }

    @Test func payloadsJSONBRefusesAreComparedAsDifferentWithoutFailingThePage() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            _ = try await StripeCustomerStore.pull(Self.withNUL(listed: true), client, records, scope, logger)
            #expect(try await Self.storedFlag(client, scope, logger) == true)
            let rewritten = try await StripeCustomerStore.pull(Self.withNUL(listed: false), client, records, scope, logger)
            #expect(rewritten.changes.map(\.kind) == [.updated], "counted as a change, as a different hash was before")
            #expect(try await Self.storedFlag(client, scope, logger) == false)

            // A stored payload that is not JSON at all.
            try await client.query("UPDATE sync_records SET payload = 'not json' WHERE connection_id = \(scope.connection)", logger: logger)
            let overBroken = try await StripeCustomerStore.pull(
                PreparedRecordTests.customer(name: "Ada", listed: true),
                client,
                records,
                scope,
                logger
            )
            #expect(overBroken.changes.map(\.kind) == [.updated])
            #expect(try await Self.storedPayload(client, scope, logger) == PreparedRecordTests.customer(name: "Ada", listed: true).payload)
        }
    }

    @Test func twoTextsOfOneOriginAreComparedByHashAlone() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            _ = try await StripeCustomerStore.pull(PreparedRecordTests.customer(name: "Ada", listed: true), client, records, scope, logger)
            // The same content in another provider text: only a hash compare can call it changed.
            var reordered = PreparedRecordTests.customer(name: "Ada", listed: true)
            reordered.payload = #"{"name":"Ada","object":"customer","id":"cus_1"}"#
            reordered.contentHash = sha256Hex(Array(reordered.payload.utf8))
            let result = try await StripeCustomerStore.pull(reordered, client, records, scope, logger)
            #expect(result.changes.map(\.kind) == [.updated], "no JSON comparison between two texts of one origin")
        }
    }
}
