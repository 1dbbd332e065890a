import Foundation
import HubCore
import HubTestSupport
import Testing

/// The dispatcher never stops for good behind one statement: when webhook-service's sessions stop
/// answering mid-delivery (their backends frozen, as connections whose server went away without
/// the service hearing of it), its claims and its writes of attempt results are abandoned at the
/// store deadline and done again on new connections, and every event is delivered and recorded.
/// Without the deadline the loops waited on the frozen sessions for as long as they stayed frozen.
@Suite struct WebhookStoreDeadlineTests {
    static let events = 60
    /// Room for new sessions beside the frozen ones, which their stuck calls keep taken.
    static let poolSize = 40

    @Test func deliveriesStuckOnSessionsThatNeverAnswerAreWrittenOnNewOnes() async throws {
        try await TestDatabase.withOwnStores(prefix: "hub_whdl") { database, redis in
            try await WebhookReceiver().run { receiver in
                try await Self.exercise(receiver: receiver, database: database, redis: redis)
            }
        }
    }

    static func exercise(receiver: WebhookReceiver, database: TestDatabase, redis: RedisServerProcess) async throws {
        // Slow answers (4 at a time, a second each), so deliveries go on for about 15 s, well past
        // the freeze on a loaded machine too: at 150 ms each they could all be done before it.
        receiver.script("/slow") { _ in .init(status: 200, delay: .seconds(1)) }
        // The service's own pool is the one frozen; this one only signs the token.
        let hub = try await TestHub.make(service: .connection, database: database.url, redisURL: redis.url)
        let token = try await hub.token()
        let environment = [
            "DATABASE_URL": database.url.urlString, "REDIS_URL": redis.url, "HUB_JWT_HS256_SECRET": hub.hs256Secret,
            "HUB_INTERNAL_TOKEN": TestHub.randomToken(), "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "deadline"),
            "HUB_WEBHOOK_ALLOW_HTTP": "true", "HUB_WEBHOOK_ALLOWED_TARGETS": "127.0.0.1",
            "HUB_WEBHOOK_SUBSCRIPTION_CONCURRENCY": "4", "HUB_WEBHOOK_STORE_DEADLINE_SECONDS": "2",
            "HUB_WEBHOOK_RETRY_SCHEDULE": "1,1,1,1,1,1", "HUB_WEBHOOK_RETRY_JITTER": "0", "HUB_LOG_LEVEL": "warning",
            "HUB_DB_POOL_SIZE": String(poolSize),
        ]
        let service = try await WebhookDurabilityTests.start(environment)
        defer { service.child.kill() }
        _ = try await WebhookDurabilityTests.call(
            "\(service.base)/api/v1/integrations/webhooks/subscriptions",
            token: token,
            body: #"{"url": "\#(receiver.url("/slow"))", "event_types": ["invoice.*"]}"#
        )
        try await WebhookDurabilityTests.publish(range: 0..<events, base: service.base, token: token)
        try await receiver.wait(timeout: .seconds(30)) { WebhookDurabilityTests.distinctDelivered($0) >= 4 }

        func abandoned() -> Bool {
            let output = service.child.outputText
            return output.contains("claiming webhook deliveries did not finish within 2")
                || output.contains("writing webhook attempt results did not finish within 2")
        }
        let atFreeze = WebhookDurabilityTests.distinctDelivered(receiver.received(path: "/slow"))
        #expect(atFreeze < events, "everything was delivered before the freeze; the test proves nothing")
        let frozen = try await database.freezeSessions(applicationName: "webhook-service", window: .milliseconds(1500)) {
            try await waitUntil(upTo: .seconds(5)) { abandoned() }
        }
        defer { TestDatabase.thaw(frozen.pids) }
        #expect(!frozen.pids.isEmpty && frozen.pids.count < poolSize, "the service's idle sessions, fewer than its pool: \(frozen.pids.count)")
        let delivered = try await deliveredRows(database, reach: events, within: .seconds(60))
        #expect(delivered == events, "every delivery recorded as delivered\n\(service.child.outputText.suffix(3000))")
        #expect(WebhookDurabilityTests.distinctDelivered(receiver.received(path: "/slow")) == events)
        #expect(abandoned(), "\(service.child.outputText.suffix(3000))")
    }

    /// The count of deliveries recorded as delivered, once it reaches `count` or `timeout` passes;
    /// read on a client of its own (the service's sessions are frozen).
    static func deliveredRows(_ database: TestDatabase, reach count: Int, within timeout: Duration) async throws -> Int {
        try await TestDatabase.withClient(database.url) { client in
            var delivered = 0
            _ = try await waitUntil(upTo: timeout, every: .milliseconds(100)) {
                let rows = try await client.query("SELECT count(*)::int FROM webhook_deliveries WHERE status = 'delivered'")
                for try await value in rows.decode(Int.self) { delivered = value }
                return delivered >= count
            }
            return delivered
        }
    }
}
