import Crypto
import Foundation
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// HubSpot's v3-signed webhooks at the live webhook-service: a contact edited and a deal
/// archived at HubSpot each queue an incremental sync of their entity for the portal's
/// connection; a wrong signature and a stale timestamp are refused with 401.
final class HubSpotInboundWebhookTests: XCTestCase {
    func testSignedBatchesQueueIncrementalSyncsAndBadSignaturesAreRefused() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let connection = try await harness.sync.connectDirectly(
                organization: org,
                provider: "hubspot",
                fields: ["access_token": HubSpotProvider.seededToken]
            )
            for entity in ["contacts", "opportunities"] { try await harness.enable(token, connection: connection, entity: entity) }
            try await harness.register("hubspot", path: "/webhooks/hubspot")

            let api: HTTPHeaders = ["Authorization": "Bearer \(HubSpotProvider.seededToken)"]
            let contact = HubSpotProvider.seededID("contacts", 1)
            let edit = try await harness.sync.sandbox.send(
                .PATCH,
                "/hubspot/crm/v3/objects/contacts/\(contact)",
                json: #"{"properties":{"firstname":"Hooked"}}"#,
                headers: api
            )
            XCTAssertEqual(edit.status, 200, edit.text)
            let archive = try await harness.sync.sandbox.send(
                .DELETE,
                "/hubspot/crm/v3/objects/deals/\(HubSpotProvider.seededID("deals", 2))",
                headers: api
            )
            XCTAssertEqual(archive.status, 204, archive.text)

            let events = try await harness.waitForProcessing(connection: connection, count: 2)
            XCTAssertEqual(events.map(\.status), ["processed", "processed"], "\(events)")
            XCTAssertEqual(events.map(\.type), ["contact.propertyChange", "deal.deletion"])
            let sent = try await harness.sent("hubspot")
            XCTAssertEqual(sent.compactMap { $0["status"]?.intValue }, [200, 200])
            let jobs = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(connection)/sync/jobs", token: token).json
            let queued = jobs["data"]?.arrayValue ?? []
            XCTAssertEqual(queued.compactMap { $0["entity"]?.stringValue }.sorted(), ["contacts", "opportunities"], "\(jobs)")
            XCTAssertEqual(Set(queued.compactMap { $0["trigger"]?.stringValue }), ["webhook"])

            // The same kind of batch, signed wrongly or too long ago.
            let body = Array(
                #"[{"eventId":99,"portalId":\#(HubSpotProvider.seededPortalID),"subscriptionType":"contact.creation","objectId":1,"occurredAt":1}]"#
                    .utf8
            )
            let now = String(Int64(Date().timeIntervalSince1970 * 1000))
            let url = harness.baseURL + "/webhooks/hubspot"
            func signed(_ secret: String, _ timestamp: String) -> HTTPHeaders {
                let message = Array("POST\(url)".utf8) + body + Array(timestamp.utf8)
                let signature = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
                    .base64EncodedString()
                return ["Content-Type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": timestamp]
            }
            let wrong = try await harness.post("/webhooks/hubspot", body: body, headers: signed("not-the-secret", now))
            XCTAssertEqual(wrong.status, 401, "\(wrong.json)")
            let stale = String(Int64(Date().timeIntervalSince1970 * 1000) - 600_000)
            let old = try await harness.post("/webhooks/hubspot", body: body, headers: signed("hubspot-sandbox-secret", stale))
            XCTAssertEqual(old.status, 401, "\(old.json)")
            let good = try await harness.post("/webhooks/hubspot", body: body, headers: signed("hubspot-sandbox-secret", now))
            XCTAssertEqual(good.status, 200, "the same batch signed rightly is taken: \(good.json)")
        }
    }
}
