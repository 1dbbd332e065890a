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
            let listed = try await records.list(
                organization: scope.organization,
                connection: scope.connection,
                entity: scope.entity,
                filter: .init(includeDeleted: true),
                page: .init()
            )
            #expect(Set(listed.map(\.id)) == Set(result.changes.filter { $0.kind == .created }.map(\.id)))
            #expect(listed.first { $0.externalID == "cus_1" }?.fields["name"] == "Customer 1")
            #expect(listed.first { $0.externalID == "cus_1" }?.providerPayload?["email"] == "cus_1@example.com")
            #expect(try await records.holdsNothing(scope) == false)
        }
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
            let stored = try await records.list(
                organization: scope.organization,
                connection: scope.connection,
                entity: scope.entity,
                filter: .init(),
                page: .init()
            )
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
