import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import NIOCore
import Synchronization
import XCTest

/// The real webhook-service executable, killed with SIGKILL in the middle of 2,000 deliveries and
/// started again, then a second run of 2,000 during which Redis is flushed: every delivery
/// arrives at least once, each webhook-id always with the same body, every signature verified by
/// the `standardwebhooks` library.
final class WebhookDurabilityTests: XCTestCase {
    static let perRun = 2_000

    func testNoDeliveryIsLostToAKilledProcessOrAFlushedRedis() async throws {
        try await TestDatabase.withOwnStores(prefix: "hub_whd") { database, redis in
            try await WebhookReceiver().run { receiver in
                try await Self.exercise(receiver: receiver, database: database, redis: redis)
            }
        }
    }

    static func exercise(receiver: WebhookReceiver, database: TestDatabase, redis: RedisServerProcess) async throws {
        let open = Mutex(false)
        receiver.script("/durable") { _ in open.withLock { $0 } ? .init(status: 200) : .init(status: 503) }
        let hub = try await TestHub.make(service: .webhook, database: database.url, redisURL: redis.url)
        let token = try await hub.token()
        let environment = [
            "DATABASE_URL": database.url.urlString, "REDIS_URL": redis.url, "HUB_JWT_HS256_SECRET": hub.hs256Secret,
            "HUB_INTERNAL_TOKEN": TestHub.randomToken(), "HUB_VAULT_KEYS": VaultKeyRing.generateEntry(id: "durable"),
            "HUB_WEBHOOK_ALLOW_HTTP": "true", "HUB_WEBHOOK_ALLOWED_TARGETS": "127.0.0.1", "HUB_WEBHOOK_TIMEOUT_MS": "2000",
            "HUB_WEBHOOK_RETRY_SCHEDULE": "1,1,1,1,1,1,1,1,1,1,1,1", "HUB_WEBHOOK_RETRY_JITTER": "0", "HUB_LOG_LEVEL": "warning",
        ]
        var service = try await start(environment)
        let subscription = try await call(
            "\(service.base)/api/v1/integrations/webhooks/subscriptions",
            token: token,
            body: #"{"url": "\#(receiver.url("/durable"))", "event_types": ["invoice.*"]}"#
        )
        let secret = try XCTUnwrap(subscription["secret"] as? String)

        // Run 1: the endpoint refuses (503) while 2,000 events go in, then opens; the process is
        // killed with SIGKILL once a fifth of them has arrived, and started again.
        try await publish(range: 0..<perRun, base: service.base, token: token)
        open.withLock { $0 = true }
        try await receiver.wait(timeout: .seconds(120)) { distinctDelivered($0) >= perRun / 5 }
        service.child.kill()
        _ = await service.child.wait()
        let atKill = distinctDelivered(receiver.received)
        XCTAssertLessThan(atKill, perRun, "the kill came after everything was delivered; the test proves nothing")
        service = try await start(environment)
        try await receiver.wait(timeout: .seconds(180)) { distinctDelivered($0) >= perRun }

        // Run 2: 2,000 more, and Redis flushed while they are delivered.
        try await publish(range: perRun..<(2 * perRun), base: service.base, token: token)
        try await receiver.wait(timeout: .seconds(120)) { distinctDelivered($0) >= perRun + perRun / 5 }
        try flushAll(redis)
        try await receiver.wait(timeout: .seconds(180)) { distinctDelivered($0) >= 2 * perRun }
        service.child.terminate()
        _ = await service.child.wait()

        let received = receiver.received(path: "/durable")
        var bodies: [String: Data] = [:]
        for message in received {
            if let body = bodies[message.webhookID] {
                XCTAssertEqual(body, message.body, "webhook-id \(message.webhookID) came with two bodies")
            } else {
                bodies[message.webhookID] = message.body
            }
        }
        XCTAssertEqual(distinctDelivered(received), 2 * perRun)
        let sequence = Set(received.compactMap { ($0.json["data"] as? [String: Any])?["n"] as? Int })
        XCTAssertEqual(sequence, Set(0..<(2 * perRun)), "every event arrived")
        let verdicts = try StandardWebhooksVerifier.verify(received.filter { $0.status == 200 }, secrets: [secret])
        XCTAssertTrue(verdicts.allSatisfy { $0 == [true] }, "a delivery failed standardwebhooks verification")
        print("durability: \(received.count) requests, \(bodies.count) webhook-ids, \(atKill) delivered before the SIGKILL")
    }

    /// `FLUSHALL` through redis-cli (the stream, its consumer group and everything else go).
    static func flushAll(_ redis: RedisServerProcess) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["redis-cli", "-p", String(redis.port), "FLUSHALL"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DurabilityError.flush }
    }

    static func distinctDelivered(_ messages: [WebhookReceiver.Message]) -> Int {
        Set(messages.filter { $0.status == 200 }.map(\.webhookID)).count
    }

    struct Running {
        var child: ChildProcess
        var base: String
    }

    static func start(_ environment: [String: String]) async throws -> Running {
        let port = try freePort()
        var environment = environment
        environment["HUB_PORT"] = String(port)
        let child = try ChildProcess("webhook-service", environment: environment)
        try child.start()
        let base = "http://127.0.0.1:\(port)"
        let ready = try await ServiceProcessTests.waitUntilReady("\(base)/readyz", while: child)
        guard ready else { throw DurabilityError.notReady(child.outputText) }
        return Running(child: child, base: base)
    }

    /// Publishes `invoice.created` events numbered by `range`, 32 requests at a time.
    static func publish(range: Range<Int>, base: String, token: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = range.lowerBound
            func add() {
                let n = next
                next += 1
                group.addTask {
                    let reply = try await call(
                        "\(base)/api/v1/integrations/events",
                        token: token,
                        body: #"{"type": "invoice.created", "data": {"n": \#(n)}, "idempotency_key": "durable-\#(n)"}"#
                    )
                    guard reply["deliveries"] as? Int == 1 else { throw DurabilityError.publish(n, "\(reply)") }
                }
            }
            for _ in 0..<32 where next < range.upperBound { add() }
            while try await group.next() != nil {
                if next < range.upperBound { add() }
            }
        }
    }

    static func call(_ url: String, token: String, body: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
    }

    enum DurabilityError: Error {
        case notReady(String)
        case publish(Int, String)
        case flush
    }
}
