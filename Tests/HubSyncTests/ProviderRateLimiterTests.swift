import Foundation
import HubCore
import HubRedis
import HubSync
import HubTestSupport
import Logging
import Testing

/// The limiter every provider call of a sync job goes through rides out a Redis restart, as the
/// job's lease does: its error used to end the job's attempt at once, and the job sat "running"
/// with no worker until its heartbeat was old enough to be sent again.
@Suite struct ProviderRateLimiterTests {
    @Test func aRedisRestartIsWaitedOutAndALongerOutageIsAnError() async throws {
        let server = try await RedisServerProcess.start()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "limiter-test"))
        let limiter = ProviderRateLimiter(redis: client)
        let limit = SyncConfiguration.RateLimit(requestsPerSecond: 100, burst: 10)
        try await limiter.acquire(account: "stripe:acct_1", limit: limit)

        await server.stop()
        let restart = Task {
            try await Task.sleep(for: .seconds(1))
            try await server.start()
        }
        try await limiter.acquire(account: "stripe:acct_1", limit: limit)
        try await restart.value

        await server.stop()
        await #expect(throws: (any Error).self) {
            try await limiter.acquire(account: "stripe:acct_1", limit: limit, outage: .milliseconds(500))
        }
        await client.shutdown()
    }
}
