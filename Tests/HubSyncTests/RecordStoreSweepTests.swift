import Foundation
import HubConnectors
import HubCore
import HubSync
import Testing

/// A full resync's sweep marks deleted what its listing did not see, against a real PostgreSQL,
/// but not a record an inbound webhook wrote after the job started: the listing may have passed
/// its place before the provider created it.
@Suite struct RecordStoreSweepTests {
    @Test func theSweepKeepsARecordWrittenSinceTheJobStarted() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            let pulled = { (id: String) in RecordStoreFirstImportTests.pulled(id, name: "Customer \(id)") }
            _ = try await client.withTransaction(logger: logger) { db in
                try await records.applyPull([pulled("cus_1"), pulled("cus_2")], deletedIDs: [], scope: scope, on: db)
            }
            let syncs = SyncRepository(client: client, logger: logger)
            let (job, _) = try await syncs.enqueue(
                organization: scope.organization,
                connection: scope.connection,
                entity: scope.entity,
                direction: .pull,
                fullResync: true,
                trigger: .manual
            )
            guard case .run = try await syncs.claim(job.id, worker: "test", aliveWithin: .seconds(1)) else {
                Issue.record("the job was not claimed")
                return
            }
            // A webhook's record, written after the job started; the listing never includes it.
            _ = try await client.withTransaction(logger: logger) { db in
                try await records.applyWebhook(pulled("cus_3"), scope: scope, on: db)
            }
            var resync = scope
            resync.seenJob = job.id
            let swept = try await client.withTransaction(logger: logger) { db in
                _ = try await records.applyPull([pulled("cus_1")], deletedIDs: [], scope: resync, on: db)
                return try await records.sweepUnseen(scope: resync, on: db)
            }
            #expect(swept.map(\.externalID) == ["cus_2"], "unseen and older than the job: gone at the provider")
            let listed = try await StripeCustomerStore.stored(records, scope)
            #expect(Set(listed.map(\.externalID)) == ["cus_1", "cus_3"])
        }
    }
}
