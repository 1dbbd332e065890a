import Crypto
import Foundation
import HubConnections
import HubCore
import HubTestSupport
import NIOHTTP1
import ProviderSandbox
import XCTest

/// Intuit, Xero and HubSpot call one app-wide endpoint, and one delivery may mix several
/// companies, tenants or portals: each of their connections gets it and reads only its own
/// account's events. Before, a Xero or HubSpot batch naming two accounts reached no connection,
/// and a QuickBooks one only the first company's.
final class MultiAccountDeliveryTests: XCTestCase {
    func testAQuickBooksDeliveryNamingTwoCompaniesReachesBoth() async throws {
        try await InboundHarness.run { harness in
            var companies: [(token: String, connection: String, realm: String)] = []
            for _ in 0..<2 {
                let org = UUID()
                let token = try await harness.sync.hub.token(organization: org)
                let (connection, fields, _) = try await harness.sync.connectQuickBooks(organization: org, volumes: ["Invoice": 5])
                try await harness.enable(token, connection: connection, entity: "invoices")
                companies.append((token, connection, try XCTUnwrap(fields["realm_id"])))
            }
            let connected = companies
            try await harness.sync.withWorkers(1) {
                for company in connected { _ = try await harness.sync.sync(company.token, connection: company.connection, entity: "invoices") }
            }
            // The first company deleted invoice 2, the second invoice 3.
            let notifications = zip(companies, ["2", "3"]).map { company, invoice in
                #"{"realmId":"\#(company.realm)","dataChangeEvent":{"entities":[{"name":"Invoice","id":"\#(invoice)","operation":"Delete","lastUpdated":"2026-12-07T20:00:00Z"}]}}"#
            }
            let body = Array(#"{"eventNotifications":[\#(notifications.joined(separator: ","))]}"#.utf8)
            let signature = Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(QuickBooksSandbox.verifierToken.utf8))))
            let posted = try await harness.post(
                "/webhooks/quickbooks",
                body: body,
                headers: ["intuit-signature": signature.base64EncodedString(), "Content-Type": "application/json"]
            )
            XCTAssertEqual(posted.status, 200, "\(posted.json)")

            for (company, deleted) in zip(companies, ["2", "3"]) {
                let events = try await harness.waitForProcessing(connection: company.connection, count: 1)
                XCTAssertEqual(events.map(\.status), ["processed"], "\(events)")
                let stored = try await harness.sync.storedRecords(connection: company.connection, entity: "invoices")
                XCTAssertEqual(Set(stored.keys), Set(["1", "2", "3", "4", "5"]).subtracting([deleted]), "only its own company's deletion")
            }
        }
    }

    func testXeroAndHubSpotBatchesNamingTwoAccountsReachBoth() async throws {
        try await InboundHarness.run { harness in
            // Xero: one batch for two tenants.
            let tenants = ["0b7a3c1e-1111-4d6b-9e0c-5a1d2b3c4d5e", "0b7a3c1e-2222-4d6b-9e0c-5a1d2b3c4d5e"]
            var xero: [UUID] = []
            for tenant in tenants { xero.append(try await Self.connection(harness, provider: "xero", account: tenant)) }
            let events = tenants.map { tenant in
                #"{"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/1","resourceId":"1","eventDateUtc":"2026-12-07T20:00:00","eventType":"UPDATE","eventCategory":"INVOICE","tenantId":"\#(tenant)","tenantType":"ORGANISATION"}"#
            }
            let xeroBody = Array(#"{"events":[\#(events.joined(separator: ","))],"firstEventSequence":1,"lastEventSequence":2,"entropy":"x"}"#.utf8)
            let xeroSignature = Data(HMAC<SHA256>.authenticationCode(for: xeroBody, using: SymmetricKey(data: Array(XeroProvider.webhookKey.utf8))))
            let xeroPosted = try await harness.post(
                "/webhooks/xero",
                body: xeroBody,
                headers: ["x-xero-signature": xeroSignature.base64EncodedString(), "Content-Type": "application/json"]
            )
            XCTAssertEqual(xeroPosted.status, 200)

            // HubSpot: one batch for two portals.
            let portals = ["91000001", "91000002"]
            var hubspot: [UUID] = []
            for portal in portals { hubspot.append(try await Self.connection(harness, provider: "hubspot", account: portal)) }
            let batch = portals.enumerated().map { index, portal in
                #"{"eventId":\#(7100 + index),"portalId":\#(portal),"subscriptionType":"contact.propertyChange","objectId":1,"occurredAt":1}"#
            }
            let hubspotBody = Array("[\(batch.joined(separator: ","))]".utf8)
            let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
            let message = Array("POST\(harness.baseURL)/webhooks/hubspot".utf8) + hubspotBody + Array(timestamp.utf8)
            let secret = SymmetricKey(data: Array("hubspot-sandbox-secret".utf8))
            let hubspotSignature = Data(HMAC<SHA256>.authenticationCode(for: message, using: secret))
            let hubspotPosted = try await harness.post(
                "/webhooks/hubspot",
                body: hubspotBody,
                headers: [
                    "Content-Type": "application/json", "X-HubSpot-Signature-v3": hubspotSignature.base64EncodedString(),
                    "X-HubSpot-Request-Timestamp": timestamp,
                ]
            )
            XCTAssertEqual(hubspotPosted.status, 200, "\(hubspotPosted.json)")

            for connection in xero + hubspot {
                let stored = try await harness.inbound(connection: connection.uuidString.lowercased())
                XCTAssertEqual(stored.count, 1, "connection \(connection): \(stored)")
            }
        }
    }

    /// A live connection of a new organization reaching `account` (no credentials: the
    /// delivery's routing is what is tried).
    static func connection(_ harness: InboundHarness, provider: String, account: String) async throws -> UUID {
        let logger = harness.sync.logger
        let inserted = try await ConnectionRepository(client: harness.postgres, logger: logger).insert(
            .init(organizationID: UUID(), provider: provider, name: provider, status: .connected, actor: "test")
        )
        try await harness.postgres.query("UPDATE connections SET account_id = \(account) WHERE id = \(inserted.id)", logger: logger)
        return inserted.id
    }
}
