import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// Xero's webhooks at the live webhook-service: Xero's intent-to-receive check passes (200 with
/// an empty body for a correctly signed request, 401 with an empty body otherwise), and a burst
/// of invoice events queues one incremental sync per entity, not one per event.
final class XeroInboundWebhookTests: XCTestCase {
    func testIntentToReceivePassesAndABurstOfInvoiceEventsQueuesOneSyncPerEntity() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let connection = try await harness.sync.connectDirectly(
                organization: org,
                provider: "xero",
                fields: ["access_token": XeroProvider.seededToken, "tenant_id": XeroProvider.seededTenantID]
            )
            for entity in ["invoices", "bills"] { try await harness.enable(token, connection: connection, entity: entity) }
            try await harness.register("xero", path: "/webhooks/xero")

            let check = try await harness.sync.sandbox.send(.POST, "/_admin/xero/webhooks/intent-to-receive")
            let result = try XCTUnwrap(check.json.arrayValue?.first, check.text)
            XCTAssertEqual(result["passed"], true, check.text)
            XCTAssertEqual(result["answers"], ["signed: 200 0", "unsigned: 401 0", "signed: 200 0", "unsigned: 401 0"])
            let stored = try await harness.inbound(connection: connection)
            XCTAssertEqual(stored.count, 0, "an intent-to-receive request is no event")

            // Five invoice changes, five deliveries; no worker runs, so the queued sync absorbs them.
            let headers: HTTPHeaders = ["Authorization": "Bearer \(XeroProvider.seededToken)", "xero-tenant-id": XeroProvider.seededTenantID]
            for index in 0..<5 {
                let path = "/xero/api.xro/2.0/Invoices/\(XeroProvider.seededID("Invoices", index))"
                let reply = try await harness.sync.sandbox.send(.POST, path, json: #"{"Reference":"burst \#(index)"}"#, headers: headers)
                XCTAssertEqual(reply.status, 200, reply.text)
            }
            let events = try await harness.waitForProcessing(connection: connection, count: 5)
            XCTAssertEqual(events.map(\.status), Array(repeating: "processed", count: 5), "\(events)")
            XCTAssertEqual(Set(events.map(\.type)), ["INVOICE.UPDATE"])
            let sent = try await harness.sent("xero")
            XCTAssertEqual(sent.compactMap { $0["status"]?.intValue }, [200, 200, 200, 200, 200])

            let jobs = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(connection)/sync/jobs", token: token).json
            let queued = jobs["data"]?.arrayValue ?? []
            XCTAssertEqual(queued.compactMap { $0["entity"]?.stringValue }.sorted(), ["bills", "invoices"], "\(jobs)")
            XCTAssertEqual(Set(queued.compactMap { $0["trigger"]?.stringValue }), ["webhook"])
        }
    }
}
