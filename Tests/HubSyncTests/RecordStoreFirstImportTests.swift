import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubSync
import Logging
import PostgresNIO
import Testing

/// A first import (a pull into a store holding nothing of its connection and entity) inserts its
/// records without looking for stored ones, against a real PostgreSQL: the ids it reports are the
/// stored rows' ids, and a record that is stored after all fails the whole write with a unique
/// violation (seen through postgres-nio's transaction error) for the caller to write again as
/// upserts.
@Suite struct RecordStoreFirstImportTests {
    static let mapping = StripeConnector.defaultFieldMappings["customers"]!

    static func pulled(_ id: String, name: String) -> PreparedRecord {
        let payload: JSONValue = ["id": .string(id), "object": "customer", "name": .string(name), "email": .string("\(id)@example.com")]
        return PreparedRecord(ProviderRecord(externalID: id, updatedAt: nil, payload: payload), mapping: mapping)
    }

    @Test func aFirstImportStoresEveryRecordUnderTheIDsItReports() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            #expect(try await records.holdsNothing(scope))
            var importing = scope
            importing.firstImport = true
            let page = (1...3).map { Self.pulled("cus_\($0)", name: "Customer \($0)") }
            let result = try await client.withTransaction(logger: logger) { db in
                try await records.applyPull(page, deletedIDs: ["cus_2"], scope: importing, on: db)
            }
            #expect(result.count(.created) == 3)
            #expect(result.changes.filter { $0.kind == .deleted }.map(\.externalID) == ["cus_2"], "a deletion after the records applies to them")
            let listed = try await StripeCustomerStore.stored(records, scope, includeDeleted: true)
            #expect(Set(listed.map(\.id)) == Set(result.changes.filter { $0.kind == .created }.map(\.id)))
            #expect(listed.first { $0.externalID == "cus_1" }?.fields["name"] == "Customer 1")
            #expect(listed.first { $0.externalID == "cus_1" }?.providerPayload?["email"] == "cus_1@example.com")
            #expect(try await records.holdsNothing(scope) == false)
        }
    }

    /// The stored columns of a connection's records, by external id.
    static func storedRows(
        _ client: PostgresClient,
        _ scope: RecordStore.Scope,
        _ logger: Logger
    ) async throws -> [String: [String?]] {
        let rows = try await client.query(
            """
            SELECT external_id, payload, canonical, encode(content_hash, 'hex'), payload_is_providers::text,
                to_char(remote_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), seen_job::text, entity, org_id::text
            FROM sync_records WHERE connection_id = \(scope.connection)
            """,
            logger: logger
        )
        var stored: [String: [String?]] = [:]
        for try await row in rows.decode((String, String?, String?, String?, String?, String?, String?, String?, String?).self) {
            stored[row.0] = [row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8]
        }
        return stored
    }

    static let awkwardIDs = ["cus_tab\there", "cus_line\nbreak\r", #"cus_back\slash\\"#, "cus_plain", "cus_ünï"]

    /// Ids with tabs, newlines and backslashes, text no writer escapes, times to the microsecond
    /// (before 1970 too), both writings of a payload.
    static func awkwardPage() -> [PreparedRecord] {
        let times: [Date?] = [
            Date(timeIntervalSince1970: 1_700_000_000.123456), Date(timeIntervalSince1970: -86_400.5), nil,
            Date(timeIntervalSince1970: 0.000001), Date(timeIntervalSince1970: 1_705_332_030),
        ]
        return zip(awkwardIDs, times).map { id, time in
            let payload: JSONValue = ["id": .string(id), "object": "customer", "name": #"Q "\ \u{1} \t"#, "note": "a\\nb"]
            let text = payload.encoded(.identityFirst)
            let listed = ProviderRecord(externalID: id, updatedAt: time, payload: payload, payloadText: id == "cus_plain" ? nil : text[...])
            return PreparedRecord(listed, mapping: mapping)
        }
    }

    actor Collected {
        var rows: [[String: [String?]]] = []
        func add(_ stored: [String: [String?]]) { rows.append(stored) }
    }

    /// A first import's plain insert stores every column exactly as the upsert stores it.
    @Test func aFirstImportStoresAwkwardValuesAsAnUpsertDoes() async throws {
        let collected = Collected()
        for firstImport in [true, false] {
            try await StripeCustomerStore.run { client, records, scope, logger in
                var writing = scope
                writing.firstImport = firstImport
                writing.seenJob = firstImport ? UUID(uuidString: "0190a000-0000-7000-8000-000000000001") : nil
                let result = try await client.withTransaction(logger: logger) { db in
                    try await records.applyPull(Self.awkwardPage(), deletedIDs: [], scope: writing, on: db)
                }
                #expect(result.count(.created) == Self.awkwardIDs.count)
                var rows = try await Self.storedRows(client, scope, logger)
                #expect(Set(rows.keys) == Set(Self.awkwardIDs), "every id stored as it is")
                if firstImport {
                    #expect(rows.values.allSatisfy { $0[5] == "0190a000-0000-7000-8000-000000000001" }, "the job that saw them")
                }
                for key in rows.keys {
                    rows[key]?[5] = nil  // the upsert's scope has no job
                    rows[key]?[7] = nil  // each run's organization is its own
                }
                await collected.add(rows)
            }
        }
        let results = await collected.rows
        #expect(results.count == 2)
        #expect(results.first == results.last, "the insert and the upsert store the same columns")
        let copied = try #require(results.first)
        #expect(copied["cus_tab\there"]?[4] == "2023-11-14 22:13:20.123456")
        #expect(copied["cus_line\nbreak\r"]?[4] == "1969-12-30 23:59:59.500000")
        #expect(copied["cus_plain"]?[4] == "1970-01-01 00:00:00.000001")
        let backslash = try #require(copied[#"cus_back\slash\\"#])
        #expect(backslash[4] == nil, "no remote time")
        #expect(copied["cus_plain"]?[3] == "false")
        #expect(copied["cus_ünï"]?[3] == "true")
    }

    @Test func aStoredRecordFailsAFirstImportWholeAndAnUpsertTakesItIn() async throws {
        try await StripeCustomerStore.run { client, records, scope, logger in
            _ = try await client.withTransaction(logger: logger) { db in
                try await records.applyPull([Self.pulled("cus_2", name: "Stored before")], deletedIDs: [], scope: scope, on: db)
            }
            var importing = scope
            importing.firstImport = true
            let page = (1...3).map { Self.pulled("cus_\($0)", name: "Customer \($0)") }
            do {
                _ = try await client.withTransaction(logger: logger) { db in
                    try await records.applyPull(page, deletedIDs: [], scope: importing, on: db)
                }
                Issue.record("a first import over a stored record must fail")
            } catch {
                #expect(PostgresError.Code.uniqueViolation.matches(error), "\(error)")
            }
            let stored = try await StripeCustomerStore.stored(records, scope)
            #expect(stored.map(\.externalID) == ["cus_2"], "nothing of the failed write kept")

            let again = try await client.withTransaction(logger: logger) { db in
                try await records.applyPull(page, deletedIDs: [], scope: scope, on: db)
            }
            #expect(again.count(.created) == 2)
            #expect(again.count(.updated) == 1)
            let after = try await records.record(
                organization: scope.organization,
                connection: scope.connection,
                entity: scope.entity,
                id: stored[0].id
            )
            #expect(after?.fields["name"] == "Customer 2", "the stored row took the pulled record in")
        }
    }

    @Test func anotherErrorIsNotAUniqueViolation() async throws {
        try await StripeCustomerStore.run { client, _, _, logger in
            do {
                _ = try await client.withTransaction(logger: logger) { db in
                    try await db.query("SELECT 1 / 0", logger: logger)
                }
                Issue.record("division by zero must fail")
            } catch {
                #expect(!PostgresError.Code.uniqueViolation.matches(error))
                #expect(PostgresError.Code.divisionByZero.matches(error))
            }
        }
    }
}
