import Crypto
import Foundation
import HubConnectors
import HubCore
import NIOHTTP1
import ProviderSandbox
import Testing

/// The sandbox's signed data-change webhooks, verified and interpreted as the hub does.
@Suite struct QuickBooksWebhookTests {
    static let verifier = QuickBooksWebhookVerifier(verifierTokens: [QuickBooksSandbox.verifierToken])

    @Test func writesSendSignedLegacyNotificationsThatQueueIncrementalSyncs() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            try await harness.subscribeInbox()
            let company = try await harness.company(["Invoice": 3, "Customer": 3])
            let connector = harness.connector(company)
            _ = try await connector.update("invoices", id: "1", fields: ["PrivateNote": "x"], idempotencyKey: nil)
            try await connector.delete("invoices", id: "2")
            let deliveries = harness.inbox.received
            #expect(deliveries.count == 2)
            let update = try #require(deliveries.first)
            let webhook = try await Self.verifier.verify(body: update.body, headers: update.headers, now: Date())
            #expect(webhook.accountID == company.realm)
            #expect(webhook.eventType == "Invoice.Update")
            #expect(QuickBooksConnector.changes(for: webhook) == [.resync(entity: "invoices")])

            let deletion = try #require(deliveries.last)
            let deleted = try await Self.verifier.verify(body: deletion.body, headers: deletion.headers, now: Date())
            #expect(QuickBooksConnector.changes(for: deleted) == [.delete(entity: "invoices", externalID: "2")])

            let wrong = QuickBooksWebhookVerifier(verifierTokens: ["another-token"])
            await #expect(throws: WebhookVerificationError.signatureMismatch) {
                try await wrong.verify(body: update.body, headers: update.headers, now: Date())
            }
            var tampered = update.body
            tampered[tampered.count / 2] ^= 1
            await #expect(throws: WebhookVerificationError.signatureMismatch) {
                try await Self.verifier.verify(body: tampered, headers: update.headers, now: Date())
            }
            await #expect(throws: WebhookVerificationError.missingSignature) {
                try await Self.verifier.verify(body: update.body, headers: ["Content-Type": "application/json"], now: Date())
            }
        }
    }

    @Test func cloudEventsAreSignedTheSameWay() async throws {
        try await QuickBooksSandboxHarness.run { harness in
            try await harness.subscribeInbox()
            try await harness.request(.PUT, "/_admin/quickbooks/webhooks", json: #"{"format":"cloudevents"}"#)
            let company = try await harness.company(["Customer": 2])
            _ = try await harness.connector(company).create("customers", fields: ["DisplayName": "New"], idempotencyKey: nil)
            let delivery = try #require(harness.inbox.received.first)
            #expect(delivery.headers.first(name: "Content-Type") == "application/cloudevents+json")
            let webhook = try await Self.verifier.verify(body: delivery.body, headers: delivery.headers, now: Date())
            #expect(webhook.eventType == "Customer.Create")
            #expect(webhook.accountID == company.realm)
            #expect(QuickBooksConnector.changes(for: webhook) == [.resync(entity: "customers")])
        }
    }

    /// The vectors computed for the reference (`providers.md` § QuickBooks, test vector).
    @Test func referenceVectorsVerify() async throws {
        let verifier = QuickBooksWebhookVerifier(verifierTokens: ["verifier-token-for-tests"])
        let legacy =
            #"{"eventNotifications":[{"realmId":"9130350000000000","dataChangeEvent":{"entities":[{"name":"Invoice","id":"130","operation":"Create","lastUpdated":"2024-01-01T00:00:00.000Z"}]}}]}"#
        let webhook = try await verifier.verify(
            body: Array(legacy.utf8),
            headers: ["intuit-signature": "yCxtr9a/qI/eM+qzzJdXEsdC6rV0L/cB3V2KeKv9lg8="],
            now: Date()
        )
        #expect(webhook.accountID == "9130350000000000")
        #expect(webhook.eventType == "Invoice.Create")
        let cloud =
            #"[{"specversion":"1.0","id":"88cd52aa-33b6-4351-9aa4-47572edbd068","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=","type":"qbo.account.created.v1","datacontenttype":"application/json","time":"2025-09-10T21:31:25.179851517Z","intuitentityid":"1234","intuitaccountid":"310687","data":{}}]"#
        let event = try await verifier.verify(
            body: Array(cloud.utf8),
            headers: ["intuit-signature": "ZUlsearOeiNYAaoQA+wltdGebY5Z1m4ZrZS1+NZw0IA="],
            now: Date()
        )
        #expect(event.eventID == "88cd52aa-33b6-4351-9aa4-47572edbd068")
        #expect(event.accountID == "310687")
        #expect(QuickBooksConnector.changes(for: event) == [.resync(entity: "accounts")])

        // Signed, but naming nothing: acknowledged for no account rather than refused (Intuit
        // would retry a refused batch and hold back the events after it).
        let empty = Array(#"{"eventNotifications":[]}"#.utf8)
        let key = SymmetricKey(data: Array("verifier-token-for-tests".utf8))
        let signature = Data(HMAC<SHA256>.authenticationCode(for: empty, using: key)).base64EncodedString()
        let nothing = try await verifier.verify(body: empty, headers: ["intuit-signature": signature], now: Date())
        #expect(nothing.accountID == nil)
        #expect(QuickBooksConnector.changes(for: nothing).isEmpty)
    }

    /// A burst of notifications for one entity asks for one sync of it.
    @Test func aBurstOfNotificationsAsksForOneSyncPerEntity() {
        let entities: [JSONValue] =
            (1...500).map { ["name": "Invoice", "id": .string(String($0)), "operation": "Update"] }
            + [["name": "Customer", "id": "9", "operation": "Delete"]]
        let payload: JSONValue = ["eventNotifications": [["realmId": "42", "dataChangeEvent": ["entities": .array(entities)]]]]
        let webhook = VerifiedWebhook(eventID: "e", accountID: "42", eventType: "Invoice.Update", payload: payload)
        #expect(QuickBooksConnector.changes(for: webhook) == [.resync(entity: "invoices"), .resync(entity: "customers")])
        let elsewhere = VerifiedWebhook(eventID: "e", accountID: "43", eventType: "Invoice.Update", payload: payload)
        #expect(QuickBooksConnector.changes(for: elsewhere).isEmpty)
    }
}
