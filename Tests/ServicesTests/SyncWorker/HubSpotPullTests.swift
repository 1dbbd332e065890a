import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
import XCTest

/// HubSpot through sync-worker: 10,000 of each object (contacts, companies, deals with their
/// line items, products) pulled exactly once — the contacts across a SIGKILLed worker process —
/// and an incremental pull that sees an edit and an archive. XCTest, like the `SyncHarness` it
/// runs on, whose helpers assert with XCTest.
final class HubSpotPullTests: XCTestCase {
    static let fields = ["access_token": HubSpotProvider.seededToken]
    /// The hub's and the sandbox's limits raised: these tests measure exactness, not throttling.
    static let environment = ["HUB_SYNC_PAGE_SIZE": "100", "HUB_PROVIDER_HUBSPOT_RATE_LIMIT": "1000/1000"]

    func testTenThousandOfEachObjectPullExactlyOnceAcrossAKilledWorker() async throws {
        try await SyncHarness.run(volume: 10_000, environment: Self.environment) { harness in
            let limits = try await harness.sandbox.send(.PUT, "/_admin/hubspot/limits", json: #"{"ten_secondly":1000000,"daily":10000000}"#)
            XCTAssertEqual(limits.status, 200, limits.text)
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "hubspot", fields: Self.fields)

            // Contacts: a worker process killed after 20 of 100 pages (the sandbox holding the
            // calls after 22), another finishing the job.
            let (_, storedAtKill, done, output) = try await harness.jobTakenOverAfterKill(
                token,
                connection: connection,
                entity: "contacts",
                afterPages: 20,
                holding: "hubspot"
            )
            XCTAssertGreaterThan(storedAtKill, 0)
            XCTAssertLessThan(storedAtKill, 10_000, "the kill came before the end")
            XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)\n\(output)")
            XCTAssertEqual(done["attempts"]?.intValue, 2, "taken over once")
            XCTAssertEqual(done["counts"]?["created"]?.intValue, 10_000, "every contact created once across both attempts: \(done)")
            try await Self.assertExactly(harness, connection: connection, entity: "contacts", type: "contacts")

            try await harness.withWorkers(1) {
                for (entity, type) in [("customers", "companies"), ("opportunities", "deals"), ("products", "products")] {
                    let job = try await harness.sync(token, connection: connection, entity: entity)
                    XCTAssertEqual(job["status"]?.stringValue, "completed", "\(entity): \(job)")
                    XCTAssertEqual(job["counts"]?["created"]?.intValue, 10_000, "\(entity): \(job)")
                    XCTAssertEqual(job["counts"]?["errors"]?.intValue, 0, "\(entity): the default mapping complained: \(job)")
                    try await Self.assertExactly(harness, connection: connection, entity: entity, type: type)
                }
            }

            // Deal 0: company 0 and contact 0, two line items (quantities 1 and 2 of 10.00).
            let dealID = HubSpotProvider.seededID("deals", 0)
            let dealRow = try await Self.canonical(harness, connection: connection, entity: "opportunities", id: dealID)
            let deal = try XCTUnwrap(dealRow)
            XCTAssertEqual(deal["name"]?.stringValue, "Deal 1")
            XCTAssertEqual(deal["customer_id"]?.stringValue, HubSpotProvider.seededID("companies", 0), "\(deal)")
            XCTAssertEqual(deal["amount"]?.intValue, 3_000, "\(deal)")
            let lines = deal["line_items"]?.arrayValue ?? []
            XCTAssertEqual(lines.map { $0["quantity"]?.numberValue }, [1, 2], "\(deal)")
            XCTAssertEqual(lines.map { $0["unit_amount"]?.intValue }, [1_000, 1_000], "\(deal)")
            XCTAssertEqual(
                lines.map { $0["product_id"]?.stringValue },
                [HubSpotProvider.seededID("products", 0), HubSpotProvider.seededID("products", 0)]
            )
            let contactID = HubSpotProvider.seededID("contacts", 7)
            let contactRow = try await Self.canonical(harness, connection: connection, entity: "contacts", id: contactID)
            let contact = try XCTUnwrap(contactRow)
            XCTAssertEqual(contact["customer_id"]?.stringValue, HubSpotProvider.seededID("companies", 7), "\(contact)")
        }
    }

    /// After a full pull, an edited contact and an archived one (changed in HubSpot's UI, as the
    /// admin API stands for) arrive through the search endpoint and the archived listing.
    func testAnIncrementalPullSeesAnEditAndAnArchive() async throws {
        try await SyncHarness.run(volume: 30, environment: Self.environment) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "hubspot", fields: Self.fields)
            try await harness.withWorkers(1) {
                let full = try await harness.sync(token, connection: connection, entity: "contacts")
                XCTAssertEqual(full["counts"]?["created"]?.intValue, 30, "\(full)")
                let portal = "/_admin/hubspot/portals/\(HubSpotProvider.seededPortalID)/contacts"
                let edited = HubSpotProvider.seededID("contacts", 3)
                let archived = HubSpotProvider.seededID("contacts", 4)
                let edit = try await harness.sandbox.send(.PATCH, "\(portal)/\(edited)", json: #"{"properties":{"firstname":"Renamed"}}"#)
                XCTAssertEqual(edit.status, 200, edit.text)
                let archive = try await harness.sandbox.send(.POST, "\(portal)/\(archived)/archive")
                XCTAssertEqual(archive.status, 204, archive.text)

                let done = try await harness.sync(token, connection: connection, entity: "contacts")
                XCTAssertEqual(done["status"]?.stringValue, "completed", "\(done)")
                XCTAssertEqual(done["counts"]?["updated"]?.intValue, 1, "\(done)")
                XCTAssertEqual(done["counts"]?["deleted"]?.intValue, 1, "\(done)")
                let stored = try await harness.storedRecords(connection: connection, entity: "contacts")
                XCTAssertEqual(stored.count, 29)
                XCTAssertNil(stored[archived])
                XCTAssertEqual(stored[edited]?["properties"]?["firstname"]?.stringValue, "Renamed")
            }
        }
    }

    static func assertExactly(_ harness: SyncHarness, connection: String, entity: String, type: String) async throws {
        let stored = try await harness.storedRecords(connection: connection, entity: entity)
        XCTAssertEqual(stored.count, 10_000, entity)
        XCTAssertEqual(Set(stored.keys), Set((0..<10_000).map { HubSpotProvider.seededID(type, $0) }), entity)
        let rows = try await harness.rowCount(connection: connection, entity: entity)
        XCTAssertEqual(rows, 10_000, "\(entity): no duplicate rows")
    }

    static func canonical(_ harness: SyncHarness, connection: String, entity: String, id: String) async throws -> JSONValue? {
        let rows = try await harness.hub.dependencies.postgres.query(
            """
            SELECT canonical::text FROM sync_records
            WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = \(entity) AND external_id = \(id)
            """,
            logger: harness.logger
        )
        for try await text in rows.decode(String.self) { return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        return nil
    }
}
