import Foundation
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox
import Synchronization
import Testing

/// Xero's signed webhooks: the sandbox signs what it sends as Xero does, the hub's verifier
/// accepts exactly the correctly signed bodies, events become incremental syncs of the entities
/// they name, and the intent-to-receive check passes against an endpoint that answers as the
/// hub's does.
@Suite struct XeroWebhookTests {
    /// providers.md § Xero, computed with the key and body below.
    @Test func theVerifierAcceptsTheReferenceVectorAndNothingElse() async throws {
        let verifier = XeroWebhookVerifier(keys: ["webhook-key-for-tests"])
        let body = Array(#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"FMLHZNKCVK"}"#.utf8)
        let good: HTTPHeaders = ["x-xero-signature": "xci7QIfA0Vc9TcQYNvMHAMUoBB/Xax157kuE7UF9Bx8="]
        let verified = try await verifier.verify(body: body, headers: good, now: Date())
        #expect(verified.eventType == XeroWebhookVerifier.intentToReceive)
        #expect(verified.accountID == nil)
        #expect(XeroConnector.changes(for: verified).isEmpty)
        await #expect(throws: WebhookVerificationError.signatureMismatch) {
            _ = try await verifier.verify(body: body + [0x20], headers: good, now: Date())
        }
        await #expect(throws: WebhookVerificationError.missingSignature) {
            _ = try await verifier.verify(body: body, headers: [:], now: Date())
        }
    }

    @Test func sandboxWritesSendSignedEventsThatQueueIncrementalSyncs() async throws {
        try await XeroSandboxHarness.run(volume: 5) { harness in
            try await harness.request(.PUT, "/_admin/webhooks/xero", json: #"{"url":"http://127.0.0.1:\#(harness.inboxPort)/hook"}"#)
            let connector = harness.connector()
            let invoice = try await connector.update("invoices", id: XeroSeedIDs.invoice(0), fields: ["Reference": "hooked"], idempotencyKey: nil)
            _ = try await connector.create("customers", fields: ["Name": "Webhook Customer"], idempotencyKey: nil)
            let deliveries = harness.inbox.received
            #expect(deliveries.count == 2)
            let verifier = XeroWebhookVerifier(keys: [XeroProvider.webhookKey])
            let first = try await verifier.verify(body: deliveries[0].body, headers: deliveries[0].headers, now: Date())
            #expect(first.accountID == XeroProvider.seededTenantID)
            #expect(first.eventType == "INVOICE.UPDATE")
            let event = try #require(first.payload["events"]?.arrayValue?.first)
            #expect(event["resourceId"]?.stringValue == invoice.externalID)
            #expect(event["eventCategory"]?.stringValue == "INVOICE")
            #expect(event["eventType"]?.stringValue == "UPDATE")
            #expect(XeroConnector.changes(for: first) == [.resync(entity: "invoices"), .resync(entity: "bills")])
            let second = try await verifier.verify(body: deliveries[1].body, headers: deliveries[1].headers, now: Date())
            #expect(XeroConnector.changes(for: second) == [.resync(entity: "customers"), .resync(entity: "vendors")])
            // Another tenant's events in a batch are not this connection's.
            let foreign = VerifiedWebhook(eventID: "x", accountID: "another-tenant", eventType: "INVOICE.UPDATE", payload: first.payload)
            #expect(XeroConnector.changes(for: foreign).isEmpty)
        }
    }

    @Test func intentToReceivePassesAgainstAnEndpointThatAnswersLikeTheHub() async throws {
        try await XeroSandboxHarness.run(volume: 1) { harness in
            let verifier = XeroWebhookVerifier(keys: [XeroProvider.webhookKey])
            // 200 with an empty body for a good signature, 401 for a bad one: what the hub's
            // inbound route answers for Xero.
            let router = Router()
            router.post("xero") { request, _ -> Response in
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                var headers = HTTPHeaders()
                for field in request.headers { headers.add(name: field.name.canonicalName, value: field.value) }
                do {
                    _ = try await verifier.verify(body: body, headers: headers, now: Date())
                    return Response(status: .ok, headers: [.contentLength: "0"])
                } catch {
                    return Response(status: .unauthorized, headers: [.contentLength: "0"])
                }
            }
            try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { endpoint in
                let port = try #require(endpoint.port)
                try await harness.request(.PUT, "/_admin/webhooks/xero", json: #"{"url":"http://127.0.0.1:\#(port)/xero"}"#)
                let answer = try await harness.request(.POST, "/_admin/xero/webhooks/intent-to-receive")
                let results = try #require(JSONReader.parse(Array(answer.body.utf8))?.arrayValue)
                #expect(results.count == 1)
                #expect(results.first?["passed"]?.boolValue == true, "\(answer.body)")
            }
        }
    }
}
