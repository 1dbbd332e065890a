import Crypto
import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import NIOHTTP1
import XCTest

/// Inbound provider webhooks end to end: the provider sandbox sends each provider's real signed
/// events to a live webhook-service, which verifies, stores and acknowledges them, then processes
/// them into record changes, syncs and hub events. Replays, tampering and wrong keys are refused.
final class InboundWebhookTests: XCTestCase {
    static let stripeSecret = "whsec_sandbox_stripe"

    /// Headers as Stripe signs `body` with `secret`, `age` seconds ago.
    static func signed(_ body: [UInt8], secret: String = stripeSecret, age: Int = 0) -> HTTPHeaders {
        let timestamp = Int(Date().timeIntervalSince1970) - age
        return [
            "Content-Type": "application/json", "Stripe-Signature": StripeWebhookVerifier.header(for: body, secret: secret, timestamp: timestamp),
        ]
    }

    func testStripeEventsWriteTheRecordsTheyCarryAndAreAnnouncedAsHubEvents() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let connection = try await harness.connectStripeWithWebhooks(token)

            let customer = try await harness.sync.stripe(.POST, "customers", form: "name=Webhook+Customer&email=wh%40example.com")
            let id = try XCTUnwrap(customer["id"]?.stringValue)
            try await harness.waitForProcessing(connection: connection, count: 1)
            var stored = try await harness.stored(connection: connection, entity: "customers", externalID: id)
            XCTAssertEqual(stored?.canonical["name"], "Webhook Customer")
            XCTAssertEqual(stored?.canonical["email"], "wh@example.com")
            XCTAssertEqual(stored?.deleted, false)

            try await harness.sync.stripe(.POST, "customers/\(id)", form: "name=Renamed+By+Webhook")
            try await harness.waitForProcessing(connection: connection, count: 2)
            stored = try await harness.stored(connection: connection, entity: "customers", externalID: id)
            XCTAssertEqual(stored?.canonical["name"], "Renamed By Webhook")

            try await harness.sync.stripe(.DELETE, "customers/\(id)")
            let events = try await harness.waitForProcessing(connection: connection, count: 3)
            stored = try await harness.stored(connection: connection, entity: "customers", externalID: id)
            XCTAssertEqual(stored?.deleted, true)
            XCTAssertEqual(events.map(\.type), ["customer.created", "customer.updated", "customer.deleted"])
            XCTAssertEqual(events.map(\.status), ["processed", "processed", "processed"], "\(events)")

            let sent = try await harness.sent("stripe")
            XCTAssertEqual(sent.count, 3)
            XCTAssertEqual(sent.compactMap { $0["status"]?.intValue }, [200, 200, 200])

            let hubEvents = try await harness.hubEvents(organization: org)
            XCTAssertEqual(hubEvents.map(\.type), ["customer.created", "customer.updated", "customer.deleted"])
            XCTAssertEqual(Set(hubEvents.compactMap { $0.data["external_id"]?.stringValue }), [id])
            XCTAssertEqual(hubEvents.first?.data["record"]?["name"], "Webhook Customer")
        }
    }

    func testReplaysTamperingAndWrongKeysAreRefusedAndARetryIsProcessedOnce() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let connection = try await harness.connectStripeWithWebhooks(token)
            let customer = try await harness.sync.stripe(.POST, "customers", form: "name=Original")
            let id = try XCTUnwrap(customer["id"]?.stringValue)
            try await harness.waitForProcessing(connection: connection, count: 1)
            let stripeSent = try await harness.sent("stripe")
            let body = Array(try XCTUnwrap(stripeSent.first?["body"]?.stringValue).utf8)
            let path = "/webhooks/stripe/\(connection)"

            // The provider retries the same event: acknowledged, stored and processed once.
            let retry = try await harness.post(path, body: body, headers: Self.signed(body))
            XCTAssertEqual(retry.status, 200)
            XCTAssertEqual(retry.json["new"], false)

            // A tampered body under the original signature.
            var tampered = body
            let original = Array("Original".utf8)
            let at = try XCTUnwrap((0...(tampered.count - original.count)).first { Array(tampered[$0..<($0 + original.count)]) == original })
            tampered.replaceSubrange(at..<(at + original.count), with: Array("Attacker".utf8))
            var refused = try await harness.post(path, body: tampered, headers: Self.signed(body))
            XCTAssertEqual(refused.status, 401)
            XCTAssertEqual(refused.json["error"]?["code"], "unverified")
            XCTAssertEqual(refused.json["error"]?["message"], "the webhook could not be verified")
            // A replay from ten minutes ago (Stripe's tolerance is five), correctly signed then.
            refused = try await harness.post(path, body: body, headers: Self.signed(body, age: 600))
            XCTAssertEqual(refused.status, 401)
            // The wrong secret; no signature; a signature header that is not one.
            refused = try await harness.post(path, body: body, headers: Self.signed(body, secret: "whsec_guess"))
            XCTAssertEqual(refused.status, 401)
            refused = try await harness.post(path, body: body, headers: ["Content-Type": "application/json"])
            XCTAssertEqual(refused.status, 401)
            refused = try await harness.post(path, body: body, headers: ["Stripe-Signature": "t=abc,v1="])
            XCTAssertEqual(refused.status, 401)
            // Another organization's endpoint (its own secret) does not take this account's events.
            let other = try await harness.sync.hub.token(organization: UUID())
            let otherConnection = try await harness.sync.connect(
                other,
                provider: "stripe",
                credentials: #"{"api_key":"sk_test_sandbox","webhook_secret":"whsec_other_org"}"#
            )
            refused = try await harness.post("/webhooks/stripe/\(otherConnection)", body: body, headers: Self.signed(body))
            XCTAssertEqual(refused.status, 401)
            // An endpoint that does not exist, and providers whose webhooks the hub does not take.
            refused = try await harness.post("/webhooks/stripe/\(UUID())", body: body, headers: Self.signed(body))
            XCTAssertEqual(refused.status, 401)
            let checked1 = try await harness.post("/webhooks/stripe/not-a-connection", body: body, headers: Self.signed(body)).status
            XCTAssertEqual(checked1, 404)
            let checked2 = try await harness.post("/webhooks/nonesuch", body: body, headers: Self.signed(body)).status
            XCTAssertEqual(checked2, 404)
            let checked3 = try await harness.post("/webhooks/zapier", body: body, headers: Self.signed(body)).status
            XCTAssertEqual(checked3, 404)
            // Signed, but not an event; and a body over the size limit.
            let notEvent = Array(#"{"hello":"world"}"#.utf8)
            let checked4 = try await harness.post(path, body: notEvent, headers: Self.signed(notEvent)).status
            XCTAssertEqual(checked4, 400)
            let huge = [UInt8](repeating: 0x20, count: 3 << 20)
            let checked5 = try await harness.post(path, body: huge, headers: Self.signed(huge)).status
            XCTAssertEqual(checked5, 413)

            // Nothing of that was stored or changed anything.
            let events = try await harness.waitForProcessing(connection: connection, count: 1)
            XCTAssertEqual(events.count, 1, "\(events)")
            let checked6 = try await harness.inbound(connection: otherConnection).count
            XCTAssertEqual(checked6, 0)
            let checked7 = try await harness.stored(connection: connection, entity: "customers", externalID: id)?.canonical["name"]
            XCTAssertEqual(checked7, "Original")
            let checked8 = try await harness.hubEvents(organization: org).map(\.type)
            XCTAssertEqual(checked8, ["customer.created"])

            // A genuine but older event arriving late (a new event id, stamped an hour back) does
            // not undo the newer state the store holds.
            let stale = Array(
                #"{"id":"evt_late_\#(UUID().uuidString.prefix(8))","object":"event","type":"customer.updated","created":\#(Int(Date().timeIntervalSince1970) - 3600),"data":{"object":{"id":"\#(id)","object":"customer","name":"Stale name"}}}"#
                    .utf8
            )
            let late = try await harness.post(path, body: stale, headers: Self.signed(stale))
            XCTAssertEqual(late.status, 200)
            let afterLate = try await harness.waitForProcessing(connection: connection, count: 2)
            XCTAssertEqual(afterLate.last?.status, "processed")
            XCTAssertEqual(afterLate.last?.outcome, "customers \(id): the store holds a newer state")
            let checked9 = try await harness.stored(connection: connection, entity: "customers", externalID: id)?.canonical["name"]
            XCTAssertEqual(checked9, "Original")

            // Ignored events say why: a type the hub acts on but with no object it can read is not
            // a type the hub does not act on.
            let created = Int(Date().timeIntervalSince1970)
            for (type, object) in [("customer.updated", #"{"object":"customer","name":"No id"}"#), ("balance.available", #"{"object":"balance"}"#)] {
                let event = Array(
                    #"{"id":"evt_\#(UUID().uuidString.prefix(8))","object":"event","type":"\#(type)","created":\#(created),"data":{"object":\#(object)}}"#
                        .utf8
                )
                let sent = try await harness.post(path, body: event, headers: Self.signed(event))
                XCTAssertEqual(sent.status, 200, "\(sent.json)")
            }
            let ignored = try await harness.waitForProcessing(connection: connection, count: 4).suffix(2)
            XCTAssertEqual(ignored.map(\.status), ["ignored", "ignored"], "\(ignored)")
            XCTAssertEqual(
                ignored.map(\.outcome),
                [
                    "the customer.updated event holds no object the hub can read (no id, or not the shape the provider sends)",
                    "the hub does not act on balance.available events",
                ]
            )
        }
    }

    func testShopifyEventsReachEveryOrganizationConnectedToTheShopAndOnlyThose() async throws {
        try await InboundHarness.run { harness in
            let (orgA, orgB, orgC) = (UUID(), UUID(), UUID())
            let tokenA = try await harness.sync.hub.token(organization: orgA)
            let tokenB = try await harness.sync.hub.token(organization: orgB)
            let connectionA = try await harness.sync.connectShopify(organization: orgA)
            let connectionB = try await harness.sync.connectShopify(organization: orgB)
            try await harness.enable(tokenA, connection: connectionA, entity: "customers")
            try await harness.enable(tokenB, connection: connectionB, entity: "products")
            // A third organization reaches another account entirely.
            let connectionC = try await harness.sync.connect(
                try await harness.sync.hub.token(organization: orgC),
                provider: "stripe",
                credentials: #"{"api_key":"sk_test_sandbox"}"#
            )
            try await harness.register("shopify", path: "/webhooks/shopify")

            let admin = "/_admin/shopify/shops/\(SyncHarness.shop)/customers"
            let created = try await harness.sync.sandbox.send(
                .POST,
                admin,
                json: #"{"first_name":"Ada","last_name":"Hook","email":"ada@example.com"}"#
            )
            XCTAssertLessThan(created.status, 300, created.text)
            let id = try XCTUnwrap(created.json["customer"]?["id"].flatMap { $0.intValue.map(String.init) ?? $0.stringValue }, created.text)
            try await harness.waitForProcessing(connection: connectionA, count: 1)
            let eventsB = try await harness.waitForProcessing(connection: connectionB, count: 1)
            let checked9 = try await harness.stored(connection: connectionA, entity: "customers", externalID: id)?.canonical["first_name"]
            XCTAssertEqual(checked9, "Ada")
            // B does not sync customers: its copy of the event is recorded as ignored, with the reason.
            XCTAssertEqual(eventsB.first?.status, "ignored")
            XCTAssertEqual(eventsB.first?.outcome, "customers is not synced")
            let checked10 = try await harness.stored(connection: connectionB, entity: "customers", externalID: id)
            XCTAssertNil(checked10)

            let deleted = try await harness.sync.sandbox.send(.DELETE, "\(admin)/\(id)")
            XCTAssertLessThan(deleted.status, 300, deleted.text)
            try await harness.waitForProcessing(connection: connectionA, count: 2)
            let checked11 = try await harness.stored(connection: connectionA, entity: "customers", externalID: id)?.deleted
            XCTAssertEqual(checked11, true)
            let checked12 = try await harness.hubEvents(organization: orgA).map(\.type)
            XCTAssertEqual(checked12, ["customer.created", "customer.deleted"])
            let checked13 = try await harness.hubEvents(organization: orgB).map(\.type)
            XCTAssertEqual(checked13, [])
            let checked14 = try await harness.inbound(connection: connectionC).count
            XCTAssertEqual(checked14, 0)

            // Shopify's signature over the exact bytes; a retry carries the same webhook id.
            let shopifySent = try await harness.sent("shopify")
            let sentBody = Array(try XCTUnwrap(shopifySent.last?["body"]?.stringValue).utf8)
            let mac = HMAC<SHA256>.authenticationCode(for: sentBody, using: SymmetricKey(data: Array("shopify-sandbox-secret".utf8)))
            var headers: HTTPHeaders = [
                "X-Shopify-Topic": "customers/delete", "X-Shopify-Shop-Domain": SyncHarness.shop,
                "X-Shopify-Hmac-Sha256": Data(mac).base64EncodedString(), "X-Shopify-Webhook-Id": "retry-\(UUID())",
            ]
            let checked15 = try await harness.post("/webhooks/shopify", body: sentBody, headers: headers).json["new"]
            XCTAssertEqual(checked15, true)
            let checked16 = try await harness.post("/webhooks/shopify", body: sentBody, headers: headers).json["new"]
            XCTAssertEqual(checked16, false)
            headers.replaceOrAdd(name: "X-Shopify-Hmac-Sha256", value: Data(repeating: 1, count: 32).base64EncodedString())
            let checked17 = try await harness.post("/webhooks/shopify", body: sentBody, headers: headers).status
            XCTAssertEqual(checked17, 401)
            let events = try await harness.waitForProcessing(connection: connectionA, count: 3)
            XCTAssertEqual(events.count, 3)
            // Each organization sees its own inbound events, with what became of them.
            let listB = try await harness.api(tokenB, "/api/v1/integrations/webhooks/inbound-events")
            XCTAssertEqual(listB.status, 200)
            let rowsB = listB.json["data"]?.arrayValue ?? []
            XCTAssertEqual(rowsB.count, 3, "\(listB.json)")
            XCTAssertEqual(Set(rowsB.compactMap { $0["connection_id"]?.stringValue?.lowercased() }), [connectionB.lowercased()])
            XCTAssertEqual(rowsB.compactMap { $0["event_type"]?.stringValue }, ["customers/delete", "customers/delete", "customers/create"])
            XCTAssertEqual(rowsB.last?["status"], "ignored")
            XCTAssertEqual(rowsB.last?["outcome"], "customers is not synced")
            XCTAssertNil(rowsB.first?["body"])
            // A's, one page at a time: newest first, no row twice.
            let firstA = try await harness.api(tokenA, "/api/v1/integrations/webhooks/inbound-events?status=processed&limit=2")
            XCTAssertEqual(firstA.json["data"]?.arrayValue?.count, 2)
            let nextA = try XCTUnwrap(firstA.json["next_cursor"]?.stringValue)
            let secondA = try await harness.api(tokenA, "/api/v1/integrations/webhooks/inbound-events?status=processed&limit=2&cursor=\(nextA)")
            let pagesA = (firstA.json["data"]?.arrayValue ?? []) + (secondA.json["data"]?.arrayValue ?? [])
            XCTAssertEqual(pagesA.compactMap { $0["event_type"]?.stringValue }, ["customers/delete", "customers/delete", "customers/create"])
            XCTAssertEqual(Set(pagesA.compactMap { $0["id"]?.stringValue }).count, 3)
            XCTAssertNil(secondA.json["next_cursor"]?.stringValue)
            let crossed = try await harness.api(tokenA, "/api/v1/integrations/webhooks/inbound-events?connection_id=\(connectionB)")
            XCTAssertEqual(crossed.json["data"]?.arrayValue?.count, 0)
            let badStatus = try await harness.api(tokenA, "/api/v1/integrations/webhooks/inbound-events?status=done")
            XCTAssertEqual(badStatus.status, 422)
            let badConnection = try await harness.api(tokenA, "/api/v1/integrations/webhooks/inbound-events?connection_id=nope")
            XCTAssertEqual(badConnection.status, 422)
            let anonymous = try await harness.api(nil, "/api/v1/integrations/webhooks/inbound-events")
            XCTAssertEqual(anonymous.status, 401)

            // Deleting what is already deleted changes nothing and announces nothing.
            let checked18 = try await harness.hubEvents(organization: orgA).map(\.type)
            XCTAssertEqual(checked18, ["customer.created", "customer.deleted"])
        }
    }

    func testPlaidUpdatesTriggerAnIncrementalSyncAndALostLoginMarksTheConnection() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let (connection, item, _) = try await harness.sync.connectPlaid(organization: org)
            try await harness.enable(token, connection: connection, entity: "bank_transactions")
            try await harness.register("plaid", path: "/webhooks/plaid")
            try await harness.sync.withWorkers(1) {
                let admin = "/_admin/plaid/items/\(item)/transactions"
                let added = try await harness.sync.sandbox.send(.POST, admin, json: #"{"transactions":[{"amount":12.5,"name":"WEBHOOK COFFEE"}]}"#)
                XCTAssertLessThan(added.status, 300, added.text)
                let events = try await harness.waitForProcessing(connection: connection, count: 1)
                XCTAssertEqual(events.first?.type, "TRANSACTIONS.SYNC_UPDATES_AVAILABLE")
                XCTAssertEqual(events.first?.status, "processed", "\(events)")
                let jobs = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(connection)/sync/jobs", token: token).json
                let job = try XCTUnwrap(jobs["data"]?.arrayValue?.first)
                XCTAssertEqual(job["trigger"], "webhook")
                XCTAssertEqual(job["entity"], "bank_transactions")
                let done = try await harness.sync.waitForJob(token, try XCTUnwrap(job["id"]?.stringValue))
                XCTAssertEqual(done["status"], "completed", "\(done)")
                let names = try await harness.sync.storedRecords(connection: connection, entity: "bank_transactions").values.compactMap {
                    $0["name"]?.stringValue
                }
                XCTAssertTrue(names.contains("WEBHOOK COFFEE"), "\(names)")
            }

            let broken = try await harness.sync.sandbox.send(
                .PUT,
                "/_admin/plaid/items/\(item)/error",
                json: #"{"error_code":"ITEM_LOGIN_REQUIRED"}"#
            )
            XCTAssertLessThan(broken.status, 300, broken.text)
            let events = try await harness.waitForProcessing(connection: connection, count: 2)
            XCTAssertEqual(events.last?.type, "ITEM.ERROR")
            let state = try await harness.sync.request(.get, "/api/v1/integrations/connections/\(connection)", token: token).json
            XCTAssertEqual(state["status"], "reauth_required", "\(state)")
            let announced = try await harness.hubEvents(organization: org).filter { $0.type == "connection.reauth_required" }
            XCTAssertEqual(announced.count, 1)
            XCTAssertEqual(announced.first?.data["connection_id"]?.stringValue, connection)

            // A signature made with a key Plaid never published.
            let body = Array(#"{"webhook_type":"ITEM","webhook_code":"ERROR","item_id":"\#(item)"}"#.utf8)
            let forged = try await harness.post(
                "/webhooks/plaid",
                body: body,
                headers: ["Plaid-Verification": "eyJhbGciOiJFUzI1NiIsImtpZCI6Im5vcGUifQ.e30.c2ln"]
            )
            XCTAssertEqual(forged.status, 401)
            let checked19 = try await harness.inbound(connection: connection).count
            XCTAssertEqual(checked19, 2)
        }
    }

    func testAFailedEventIsRolledBackAndRetriedUntilItSucceeds() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let connection = try await harness.connectStripeWithWebhooks(token)
            // A mapping stored before a change of format, which no longer decodes (PUT refuses
            // such a mapping, so it is written behind the API's back).
            try await harness.postgres.query(
                """
                UPDATE sync_configs SET field_mappings = '{"rules": "no longer a list"}'::jsonb
                WHERE connection_id = \(UUID(uuidString: connection)!) AND entity = 'customers'
                """,
                logger: harness.sync.logger
            )
            let customer = try await harness.sync.stripe(.POST, "customers", form: "name=Retried")
            let id = try XCTUnwrap(customer["id"]?.stringValue)

            // The first attempt fails: nothing of it stays, the reason is kept, a retry is due.
            let deadline = ContinuousClock.now + .seconds(10)
            var attempts = 0
            var outcome: String?
            while attempts == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                let rows = try await harness.postgres.query(
                    "SELECT attempts, status, outcome FROM inbound_events WHERE connection_id = \(UUID(uuidString: connection)!)",
                    logger: harness.sync.logger
                )
                for try await (count, status, reason) in rows.decode((Int, String, String?).self) {
                    attempts = count
                    outcome = reason
                    if count > 0 { XCTAssertEqual(status, "received") }
                }
            }
            XCTAssertGreaterThanOrEqual(attempts, 1, "a retry may already have come on a stalled machine")
            XCTAssertEqual(outcome, "the field mapping of customers cannot be read; PUT it again")
            let before = try await harness.stored(connection: connection, entity: "customers", externalID: id)
            XCTAssertNil(before)
            let announced = try await harness.hubEvents(organization: org)
            XCTAssertEqual(announced.count, 0)

            // Once the mapping is put right, the retry (2 s later) writes the record and its event once.
            try await harness.enable(token, connection: connection, entity: "customers")
            let events = try await harness.waitForProcessing(connection: connection, count: 1, timeout: .seconds(15))
            XCTAssertEqual(events.first?.status, "processed", "\(events)")
            let after = try await harness.stored(connection: connection, entity: "customers", externalID: id)
            XCTAssertEqual(after?.canonical["name"], "Retried")
            let types = try await harness.hubEvents(organization: org).map(\.type)
            XCTAssertEqual(types, ["customer.created"])
        }
    }

    func testGarbageNeverGetsPastTheSignatureCheckNorAServerError() async throws {
        try await InboundHarness.run { harness in
            let org = UUID()
            let token = try await harness.sync.hub.token(organization: org)
            let stripe = try await harness.connectStripeWithWebhooks(token)
            let shopify = try await harness.sync.connectShopify(organization: org)
            var generator = SystemRandomNumberGenerator()
            let headerNames = ["Stripe-Signature", "X-Shopify-Hmac-Sha256", "X-Shopify-Shop-Domain", "X-Shopify-Topic", "Plaid-Verification"]
            let values = [
                "", "t=1,v1=00", "t=\(Int(Date().timeIntervalSince1970)),v1=", "AAAA", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", SyncHarness.shop,
                "customers/create",
            ]
            for round in 0..<60 {
                let path = ["/webhooks/stripe/\(stripe)", "/webhooks/stripe", "/webhooks/shopify", "/webhooks/plaid"][round % 4]
                let length = Int.random(in: 0...512, using: &generator)
                let body =
                    round % 3 == 0
                    ? Array(
                        #"{"id":"evt_\#(round)","type":"customer.created","account":"acct_x","data":{"object":{"id":"cus_1","object":"customer"}}}"#
                            .utf8
                    )
                    : (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var headers = HTTPHeaders()
                for name in headerNames where Bool.random(using: &generator) {
                    headers.add(name: name, value: values.randomElement(using: &generator)!)
                }
                let reply = try await harness.post(path, body: body, headers: headers)
                XCTAssertTrue((400..<500).contains(reply.status), "\(path) \(headers): \(reply.status) \(reply.json)")
            }
            let stored = try await harness.inbound(connection: stripe).count + harness.inbound(connection: shopify).count
            XCTAssertEqual(stored, 0)
            // The service still answers a genuine event afterwards.
            let customer = try await harness.sync.stripe(.POST, "customers", form: "name=After+Garbage")
            let id = try XCTUnwrap(customer["id"]?.stringValue)
            try await harness.waitForProcessing(connection: stripe, count: 1)
            let name = try await harness.stored(connection: stripe, entity: "customers", externalID: id)?.canonical["name"]
            XCTAssertEqual(name, "After Garbage")
        }
    }
}
