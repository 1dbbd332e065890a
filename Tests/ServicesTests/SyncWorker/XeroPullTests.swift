import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
import XCTest

/// Xero through sync-worker: a full pull of every readable entity stores exactly what the
/// sandbox lists, and an incremental pull after a voided invoice marks it deleted. XCTest, like
/// the `SyncHarness` it runs on, whose helpers assert with XCTest.
final class XeroPullTests: XCTestCase {
    static let fields = ["access_token": XeroProvider.seededToken, "tenant_id": XeroProvider.seededTenantID]

    func testEveryReadableXeroEntityPullsExactlyAndAVoidedInvoiceBecomesADeletion() async throws {
        try await SyncHarness.run(volume: 12) { harness in
            let org = UUID()
            let token = try await harness.hub.token(organization: org)
            let connection = try await harness.connectDirectly(organization: org, provider: "xero", fields: Self.fields)
            try await harness.withWorkers(1) {
                for entity in XeroConnector.definition.entities where entity.operations.contains(.read) {
                    let done = try await harness.sync(token, connection: connection, entity: entity.name)
                    let expected = try await harness.directListing(provider: "xero", fields: Self.fields, entity: entity.name)
                    let stored = try await harness.storedRecords(connection: connection, entity: entity.name)
                    XCTAssertFalse(expected.isEmpty, "\(entity.name): the sandbox lists nothing to compare")
                    XCTAssertEqual(Set(stored.keys), Set(expected.keys), entity.name)
                    XCTAssertEqual(done["counts"]?["created"]?.intValue, expected.count, "\(entity.name): \(done)")
                    XCTAssertEqual(done["counts"]?["errors"]?.intValue, 0, "\(entity.name): the default mapping complained: \(done)")
                }
                // Seeded invoice 0 is an AUTHORISED sales invoice: voiding it is a deletion.
                let voided = XeroProvider.seededID("Invoices", 0)
                let admin = "/_admin/xero/tenants/\(XeroProvider.seededTenantID)/Invoices"
                let reply = try await harness.sandbox.send(.POST, admin, json: #"{"InvoiceID":"\#(voided)","Status":"VOIDED"}"#)
                XCTAssertEqual(reply.status, 200, reply.text)
                let done = try await harness.sync(token, connection: connection, entity: "invoices")
                XCTAssertEqual(done["counts"]?["deleted"]?.intValue, 1, "\(done)")
                let remaining = try await harness.storedRecords(connection: connection, entity: "invoices")
                XCTAssertEqual(remaining.count, 8)
                XCTAssertNil(remaining[voided])
            }
        }
    }
}
