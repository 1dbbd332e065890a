import HubRedis
import HubSync
import HubTestSupport
import Logging
import Testing

@testable import HubWebhooks

/// The Slack pace is shared through Redis: two pacers stand for two webhook-service replicas.
@Suite struct SlackChannelPacerTests {
    static let logger = Logger(label: "slack-pacer-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    func withReplicas(maxWait: Duration, _ body: (SlackChannelPacer, SlackChannelPacer) async throws -> Void) async throws {
        let server = try await RedisServerProcess.start()
        let clients = [
            RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Self.logger),
            RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Self.logger),
        ]
        let pacers = clients.map { SlackChannelPacer(limiter: ProviderRateLimiter(redis: $0), maxWait: maxWait) }
        do {
            try await body(pacers[0], pacers[1])
        } catch {
            for client in clients { await client.shutdown() }
            await server.stop()
            throw error
        }
        for client in clients { await client.shutdown() }
        await server.stop()
    }

    @Test func twoReplicasShareOneMessageASecondPerChannel() async throws {
        try await withReplicas(maxWait: .seconds(30)) { first, second in
            let clock = ContinuousClock()
            let start = clock.now
            let taken = try await withThrowingTaskGroup(of: Duration.self) { group in
                for pacer in [first, second, first, second] {
                    group.addTask {
                        let busy = try await pacer.take("T1/C1")
                        #expect(busy == nil, "every take waits its turn within 30 s")
                        return clock.now - start
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted()
            }
            // One turn a second across both replicas: the fourth message is at least 3 s in.
            #expect(taken.count == 4)
            #expect(try #require(taken.last) >= .milliseconds(2_900), "\(taken)")
            // Another channel has its own pace (shown without a clock in the test below).
            #expect(try await first.take("T1/C2") == nil)
        }
    }

    @Test func aTurnFurtherAwayThanTheWaitTakesNothingAndAHoldCoversEveryReplica() async throws {
        try await withReplicas(maxWait: .milliseconds(200)) { first, second in
            let clock = ContinuousClock()
            let taken = clock.now
            #expect(try await first.take("T1/C1") == nil)
            // Another channel has its own pace: its turn is free however slow the machine, where a
            // pace shared across channels would put it a second away, past the 200 ms wait: busy.
            #expect(try await second.take("T1/C2") == nil, "the other channel's turn is taken at once")
            let busy = try await second.take("T1/C1")
            // The turn comes back a second later: only a machine that stalled that long may see it free.
            if clock.now - taken < .milliseconds(900) {
                let busy = try #require(busy, "the other replica sees the channel busy")
                #expect(busy > .zero && busy <= .seconds(1))
            }
            // Slack's Retry-After seen by one replica holds the channel for the other.
            try await first.hold("T1/C3", for: .seconds(20))
            let held = try #require(try await second.take("T1/C3"))
            #expect(held > .seconds(10), "\(held)")
        }
    }
}
