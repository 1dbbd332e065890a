import Foundation
import HubConnections
import HubTestSupport
import HubWebhooks
import Hummingbird
import Synchronization
import XCTest

/// Answers a public address when a subscription is created and a private one afterwards, as a
/// DNS-rebinding attacker's name server would.
final class RebindingResolver: HostResolver {
    private let calls = Mutex(0)

    func resolve(host: String) async throws -> [[UInt8]] {
        if let literal = IPAddressRange.parse(host) { return [literal] }
        let call = calls.withLock { calls -> Int in
            calls += 1
            return calls
        }
        return [IPAddressRange.parse(call == 1 ? "93.184.216.34" : "10.0.0.5")!]
    }
}

/// The webhook API's routes: catalog, publishing, subscriptions, SSRF refusals, the delivery
/// log, tenant isolation, and events arriving on the hub's stream.
final class WebhookRoutesTests: XCTestCase {
    func testTheCatalogListsEveryKindOfEventType() async throws {
        try await WebhookHarness.run { harness in
            let reply = try await harness.request(.get, "/api/v1/integrations/webhooks/event-types", token: try await harness.hub.token())
            XCTAssertEqual(reply.status, .ok)
            let types = Dictionary(uniqueKeysWithValues: reply.data.map { ($0["type"] as? String ?? "", $0["source"] as? String ?? "") })
            XCTAssertEqual(types["invoice.created"], "product")
            XCTAssertEqual(types["quote.expired"], "product")
            XCTAssertEqual(types["product.updated"], "entity")
            XCTAssertEqual(types["transaction.deleted"], "entity")
            XCTAssertEqual(types["sync.completed"], "hub")
            XCTAssertEqual(types["webhook_endpoint.disabled"], "hub")
            let anonymous = try await harness.request(.get, "/api/v1/integrations/webhooks/event-types", token: nil)
            XCTAssertEqual(anonymous.status, .unauthorized)
        }
    }

    func testPublishingIsIdempotentPerKeyAndRefusesUnknownOrReservedTypes() async throws {
        try await WebhookHarness.run { harness in
            let token = try await harness.hub.token()
            let subscription = try await harness.subscribe("http://127.0.0.1:9/never", types: ["invoice.*"], token: token)
            _ = try await harness.request(.patch, "\(WebhookHarness.subscriptions)/\(subscription.id)", token: token, json: #"{"enabled": false}"#)
            let first = try await harness.publish("invoice.paid", data: ["id": "inv_1"], key: "order-42", token: token)
            XCTAssertEqual(first.status, .accepted, first.text)
            let second = try await harness.publish("invoice.paid", data: ["id": "inv_1"], key: "order-42", token: token)
            XCTAssertEqual(second.status, .ok)
            XCTAssertEqual(second.json["id"] as? String, first.json["id"] as? String)
            let byHeader = try await harness.request(
                .post,
                "/api/v1/integrations/events",
                token: token,
                json: #"{"type": "invoice.paid", "data": {}}"#,
                headers: [.init("Idempotency-Key")!: "order-42"]
            )
            XCTAssertEqual(byHeader.json["id"] as? String, first.json["id"] as? String)
            let twoKeys = try await harness.request(
                .post,
                "/api/v1/integrations/events",
                token: token,
                json: #"{"type": "invoice.paid", "data": {}, "idempotency_key": "order-43"}"#,
                headers: [.init("Idempotency-Key")!: "order-42"]
            )
            XCTAssertEqual(twoKeys.status, .unprocessableContent, "two different keys are the caller's error: \(twoKeys.text)")
            let log = try await harness.deliveries(subscription.id, token: token)
            XCTAssertEqual(log.count, 1, "one event, one delivery (failed: the subscription is disabled)")

            let otherOrg = try await harness.hub.token()
            let elsewhere = try await harness.publish("invoice.paid", key: "order-42", token: otherOrg)
            XCTAssertEqual(elsewhere.status, .accepted, "keys are per organization")
            XCTAssertNotEqual(elsewhere.json["id"] as? String, first.json["id"] as? String)

            let unknown = try await harness.publish("invoice.exploded", token: token)
            XCTAssertEqual(unknown.status, .unprocessableContent)
            XCTAssertEqual((unknown.json["error"] as? [String: Any])?["code"] as? String, "unknown_event_type")
            let reserved = try await harness.publish("connection.connected", token: token)
            XCTAssertEqual(reserved.status, .unprocessableContent)
            let notObject = try await harness.request(
                .post,
                "/api/v1/integrations/events",
                token: token,
                json: #"{"type": "invoice.paid", "data": [1]}"#
            )
            XCTAssertEqual(notObject.status, .unprocessableContent)
        }
    }

    func testSubscriptionsCRUDShowTheSecretOnceAndStoreItSealed() async throws {
        try await WebhookHarness.run { harness in
            let organization = UUID()
            let token = try await harness.hub.token(organization: organization)
            let created = try await harness.request(
                .post,
                WebhookHarness.subscriptions,
                token: token,
                json: #"{"url": "http://127.0.0.1:9/hook", "event_types": ["invoice.*", "payment.received", "invoice.*"], "description": "books"}"#
            )
            XCTAssertEqual(created.status, .created, created.text)
            let id = try XCTUnwrap(created.json["id"] as? String)
            let secret = try XCTUnwrap(created.json["secret"] as? String)
            XCTAssertTrue(secret.hasPrefix("whsec_"))
            XCTAssertGreaterThanOrEqual(Data(base64Encoded: String(secret.dropFirst(6)))?.count ?? 0, 24)
            XCTAssertEqual(created.json["event_types"] as? [String], ["invoice.*", "payment.received"], "a repeated filter is kept once")

            let read = try await harness.request(.get, "\(WebhookHarness.subscriptions)/\(id)", token: token)
            XCTAssertEqual(read.json["description"] as? String, "books")
            XCTAssertNil(read.json["secret"])
            let list = try await harness.request(.get, WebhookHarness.subscriptions, token: token)
            XCTAssertEqual(list.data.count, 1)
            XCTAssertFalse(list.text.contains(secret))

            let patched = try await harness.request(
                .patch,
                "\(WebhookHarness.subscriptions)/\(id)",
                token: token,
                json: #"{"event_types": ["*"], "description": null}"#
            )
            XCTAssertEqual(patched.status, .ok, patched.text)
            XCTAssertEqual(patched.json["event_types"] as? [String], ["*"])
            XCTAssertNil(patched.json["description"])
            let badFilter = try await harness.request(
                .patch,
                "\(WebhookHarness.subscriptions)/\(id)",
                token: token,
                json: #"{"event_types": ["nope.*"]}"#
            )
            XCTAssertEqual(badFilter.status, .unprocessableContent)
            let unknownField = try await harness.request(.patch, "\(WebhookHarness.subscriptions)/\(id)", token: token, json: #"{"secret": "x"}"#)
            XCTAssertEqual(unknownField.status, .unprocessableContent)
            // Only the description can be cleared: a null elsewhere is refused, not taken as "unchanged".
            for field in ["url", "event_types", "enabled"] {
                let null = try await harness.request(.patch, "\(WebhookHarness.subscriptions)/\(id)", token: token, json: #"{"\#(field)": null}"#)
                XCTAssertEqual(null.status, .unprocessableContent, "\(field): \(null.text)")
                XCTAssertTrue(null.text.contains("'\(field)' must not be null"), null.text)
            }

            let rotated = try await harness.request(.post, "\(WebhookHarness.subscriptions)/\(id)/rotate-secret", token: token)
            let newSecret = try XCTUnwrap(rotated.json["secret"] as? String, rotated.text)

            let database = PostgresClientHandle(hub: harness.hub)
            let dump = try await database.dump(tables: ["webhook_subscriptions", "webhook_events", "webhook_deliveries", "audit_log"])
            for shown in [secret, newSecret] {
                XCTAssertFalse(dump.contains(shown), "the secret is in a table")
                XCTAssertFalse(dump.contains(String(shown.dropFirst(6))), "the secret's base64 is in a table")
            }

            let deleted = try await harness.request(.delete, "\(WebhookHarness.subscriptions)/\(id)", token: token)
            XCTAssertEqual(deleted.status, .noContent)
            // Every change is in the audit log, by whom and to which subscription; refused ones are not.
            let audit = try await database.audit(organization: organization)
            XCTAssertEqual(
                audit.map(\.action),
                [
                    "webhook_subscription.created", "webhook_subscription.updated", "webhook_subscription.secret_rotated",
                    "webhook_subscription.deleted",
                ]
            )
            XCTAssertEqual(Set(audit.map(\.actor)), ["user-1"])
            XCTAssertEqual(Set(audit.compactMap(\.resourceID)), [id])
            XCTAssertEqual(audit.first?.details["url"], "http://127.0.0.1:9/hook")
            XCTAssertEqual(audit[1].details["changed"], ["event_types", "description"])
            let gone = try await harness.request(.get, "\(WebhookHarness.subscriptions)/\(id)", token: token)
            XCTAssertEqual(gone.status, .notFound)
            let empty = try await harness.request(.get, WebhookHarness.subscriptions, token: token)
            XCTAssertEqual(empty.data.count, 0)
            let published = try await harness.publish("invoice.paid", token: token)
            XCTAssertEqual(published.json["deliveries"] as? Int, 0, "a deleted subscription gets no more deliveries")
        }
    }

    func testUnsafeURLsAreRefusedAtCreation() async throws {
        try await WebhookHarness.run(environment: ["HUB_WEBHOOK_ALLOW_HTTP": "false", "HUB_WEBHOOK_ALLOWED_TARGETS": ""]) { harness in
            let token = try await harness.hub.token()
            let cases: [(String, String)] = [
                ("http://93.184.216.34/hook", "url_scheme_not_allowed"),
                ("https://127.0.0.1/hook", "url_not_allowed"),
                ("https://localhost/hook", "url_not_allowed"),
                ("https://10.1.2.3/hook", "url_not_allowed"),
                ("https://192.168.0.10/hook", "url_not_allowed"),
                ("https://169.254.169.254/latest/meta-data/", "url_not_allowed"),
                ("https://[::1]/hook", "url_not_allowed"),
                ("https://[fe80::1]/hook", "url_not_allowed"),
                ("https://[::ffff:127.0.0.1]/hook", "url_not_allowed"),
                ("https://user:pw@93.184.216.34/hook", "invalid_url"),
                ("hook", "invalid_url"),
            ]
            for (url, code) in cases {
                let reply = try await harness.request(
                    .post,
                    WebhookHarness.subscriptions,
                    token: token,
                    json: #"{"url": "\#(url)", "event_types": ["*"]}"#
                )
                XCTAssertEqual(reply.status, .unprocessableContent, url)
                XCTAssertEqual((reply.json["error"] as? [String: Any])?["code"] as? String, code, url)
            }
            let created = try await harness.request(
                .post,
                WebhookHarness.subscriptions,
                token: token,
                json: #"{"url": "https://93.184.216.34/hook", "event_types": ["*"]}"#
            )
            XCTAssertEqual(created.status, .created, "a public https address is fine")
            let id = try XCTUnwrap(created.json["id"] as? String)
            let moved = try await harness.request(
                .patch,
                "\(WebhookHarness.subscriptions)/\(id)",
                token: token,
                json: #"{"url": "https://169.254.169.254/"}"#
            )
            XCTAssertEqual(moved.status, .unprocessableContent, "checked on update too")
        }
    }

    /// The first attempt of an `invoice.paid` delivered to a new subscription to `url`.
    static func firstAttempt(to url: String, _ harness: WebhookHarness) async throws -> [String: Any] {
        let token = try await harness.hub.token()
        let subscription = try await harness.subscribe(url, token: token)
        try await harness.publish("invoice.paid", token: token)
        let log = try await harness.waitForDeliveries(subscription.id, token: token) {
            (($0.first?["attempts"] as? [[String: Any]])?.count ?? 0) >= 1
        }
        return try XCTUnwrap((log.first?["attempts"] as? [[String: Any]])?.first)
    }

    /// The host resolved to a public address when the subscription was made and to a private one
    /// when the delivery is due: the attempt is refused before any connection.
    func testARebindingTargetIsRefusedAtSendTime() async throws {
        try await WebhookHarness.run(environment: ["HUB_WEBHOOK_ALLOWED_TARGETS": ""], resolver: RebindingResolver()) { harness in
            let attempt = try await Self.firstAttempt(to: "https://rebind.example.test/hook", harness)
            XCTAssertNil(attempt["status_code"])
            XCTAssertEqual(
                attempt["error"] as? String,
                "refused: the host 'rebind.example.test' resolves to a private, loopback, link-local or reserved address"
            )
        }
    }

    /// A closed port refuses the connection: the attempt fails at once and says so, to be retried
    /// on the hub's schedule, rather than holding its slot until the timeout.
    func testARefusedConnectionFailsTheAttemptAtOnce() async throws {
        try await WebhookHarness.run { harness in
            let attempt = try await Self.firstAttempt(to: "http://127.0.0.1:9/closed", harness)
            XCTAssertNil(attempt["status_code"])
            XCTAssertEqual(attempt["error"] as? String, "connection refused", "\(attempt)")
            // The harness's timeout is 10 s; a loopback refusal takes a millisecond.
            XCTAssertLessThan(try XCTUnwrap(attempt["latency_ms"] as? Int), 5_000, "\(attempt)")
        }
    }

    func testAnotherOrganizationGets404OnEveryRoute() async throws {
        try await WebhookHarness.run { harness in
            let owner = try await harness.hub.token()
            let intruder = try await harness.hub.token()
            let subscription = try await harness.subscribe("http://127.0.0.1:9/hook", token: owner)
            try await harness.publish("invoice.paid", token: owner)
            let log = try await harness.waitForDeliveries(subscription.id, token: owner) { !$0.isEmpty }
            let delivery = try XCTUnwrap(log.first?["id"] as? String)
            let base = "\(WebhookHarness.subscriptions)/\(subscription.id)"
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, base, nil), (.patch, base, #"{"enabled": false}"#), (.delete, base, nil),
                (.post, "\(base)/rotate-secret", nil), (.post, "\(base)/test", nil), (.get, "\(base)/deliveries", nil),
                (.post, "\(base)/deliveries/\(delivery)/resend", nil), (.post, "\(base)/recover", #"{"since": "2020-01-01T00:00:00Z"}"#),
            ]
            for (method, uri, body) in routes {
                let reply = try await harness.request(method, uri, token: intruder, json: body)
                XCTAssertEqual(reply.status, .notFound, "\(method) \(uri): \(reply.text)")
            }
            let list = try await harness.request(.get, WebhookHarness.subscriptions, token: intruder)
            XCTAssertEqual(list.data.count, 0)
            let still = try await harness.request(.get, base, token: owner)
            XCTAssertEqual(still.json["enabled"] as? Bool, true, "the intruder changed nothing")
            for (method, uri, body) in routes {
                let reply = try await harness.request(method, uri, token: nil, json: body)
                XCTAssertEqual(reply.status, .unauthorized, "\(method) \(uri)")
            }
        }
    }

    func testTheDeliveryLogFiltersAndPaginates() async throws {
        try await WebhookReceiver().run { receiver in
            try await WebhookHarness.run { harness in
                let token = try await harness.hub.token()
                let subscription = try await harness.subscribe(receiver.url("/log"), token: token)
                for index in 0..<5 { try await harness.publish("invoice.paid", data: ["n": index], token: token) }
                for index in 0..<3 { try await harness.publish("customer.created", data: ["n": index], token: token) }
                let test = try await harness.request(.post, "\(WebhookHarness.subscriptions)/\(subscription.id)/test", token: token)
                XCTAssertEqual(test.status, .accepted)
                _ = try await receiver.wait { $0.count >= 9 }
                XCTAssertTrue(receiver.received.contains { $0.json["type"] as? String == "webhook.test" })
                _ = try await harness.waitForDeliveries(subscription.id, token: token) { rows in
                    rows.count == 9 && rows.allSatisfy { $0["status"] as? String == "delivered" }
                }
                let invoices = try await harness.deliveries(subscription.id, query: "?event_type=invoice.paid", token: token)
                XCTAssertEqual(invoices.count, 5)
                let failed = try await harness.deliveries(subscription.id, query: "?status=failed", token: token)
                XCTAssertEqual(failed.count, 0)
                let bad = try await harness.request(.get, "\(WebhookHarness.subscriptions)/\(subscription.id)/deliveries?status=odd", token: token)
                XCTAssertEqual(bad.status, .unprocessableContent)
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let query = "?limit=4" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await harness.request(.get, "\(WebhookHarness.subscriptions)/\(subscription.id)/deliveries\(query)", token: token)
                    seen += page.data.compactMap { $0["id"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil
                XCTAssertEqual(seen.count, 9)
                XCTAssertEqual(Set(seen).count, 9)
            }
        }
    }

    /// Events the hub publishes on its stream (connections, syncs) are delivered; an entry read
    /// twice, or published twice with the same event id, makes one event.
    func testHubStreamEventsAreDeliveredOnce() async throws {
        let redis = try await RedisServerProcess.start()
        do {
            try await WebhookReceiver().run { receiver in
                try await WebhookHarness.run(redisURL: redis.url, consumeHubEvents: true) { harness in
                    let organization = UUID()
                    let token = try await harness.hub.token(organization: organization)
                    _ = try await harness.subscribe(receiver.url("/hub"), types: ["connection.*", "sync.completed"], token: token)
                    let publisher = HubEventPublisher(redis: harness.hub.dependencies.redis, logger: harness.hub.dependencies.logger)
                    await publisher.publish(type: "connection.connected", organization: organization, data: ["provider": "stripe"])
                    let fields = [
                        "id": "evt_" + UUID().uuidString.lowercased(), "type": "sync.completed", "org_id": organization.uuidString.lowercased(),
                        "data": #"{"job_id":"j1"}"#, "occurred_at": "2026-01-01T00:00:00Z",
                    ]
                    _ = try await harness.hub.dependencies.redis.xadd(HubEventPublisher.stream, fields: fields)
                    _ = try await harness.hub.dependencies.redis.xadd(HubEventPublisher.stream, fields: fields)
                    await publisher.publish(type: "connection.disconnected", organization: UUID(), data: [:])
                    let received = try await receiver.wait { $0.count >= 2 }
                    try await Task.sleep(for: .milliseconds(500))
                    XCTAssertEqual(receiver.received.count, 2, "the duplicate entry made a second delivery")
                    XCTAssertEqual(Set(received.map { $0.json["type"] as? String ?? "" }), ["connection.connected", "sync.completed"])
                    let sync = try XCTUnwrap(received.first { $0.json["type"] as? String == "sync.completed" })
                    XCTAssertEqual(sync.json["id"] as? String, fields["id"])
                    XCTAssertEqual((sync.json["data"] as? [String: Any])?["job_id"] as? String, "j1")
                }
            }
        } catch {
            await redis.stop()
            throw error
        }
        await redis.stop()
    }
}
