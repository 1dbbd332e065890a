import Foundation
import HubCore
import HubRedis

/// Keeps every replica's calls to one provider account under the provider's rate: a token bucket
/// in Redis (one Lua script, so the check and the take are atomic across processes), and a shared
/// pause set when the provider answers 429 with `Retry-After`, so the other replicas stop too
/// instead of each finding out with a 429 of its own.
public struct ProviderRateLimiter: Sendable {
    let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// KEYS[1] bucket, KEYS[2] pause; ARGV rate per second, burst, now in milliseconds.
    /// Returns 0 when a token was taken, or the milliseconds to wait before asking again.
    static let takeScript = RedisScript(
        """
        local pause = redis.call('PTTL', KEYS[2])
        if pause > 0 then return pause end
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local now = tonumber(ARGV[3])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
        local wait = 0
        if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
        redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', math.max(now, at))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return wait
        """
    )

    static func keys(_ account: String) -> [String] {
        ["hub:ratelimit:\(account):bucket", "hub:ratelimit:\(account):pause"]
    }

    /// Waits until a call to `account` is allowed under `limit`. Redis away for a moment (a
    /// restart, a failover) is waited out for up to `outage`, as a job's lease rides it out: the
    /// limiter's error used to end the job's attempt at once, and the job then sat "running" with
    /// no worker until its heartbeat was old enough to send it again (33-43 s after a 2 s restart).
    public func acquire(
        account: String,
        limit: SyncConfiguration.RateLimit,
        outage: Duration = .seconds(20),
        willWait: @Sendable (Duration) async -> Void = { _ in }
    ) async throws {
        var unreachableSince: ContinuousClock.Instant?
        while true {
            let wait: Int
            do {
                wait = try await take(account: account, limit: limit)
                unreachableSince = nil
            } catch  where UnavailableDependency.matches(error) {
                let since = unreachableSince ?? .now
                unreachableSince = since
                guard ContinuousClock.now - since < outage else { throw error }
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            guard wait > 0 else { return }
            await willWait(.milliseconds(wait))
            try await Task.sleep(for: .milliseconds(wait))
        }
    }

    /// Takes a call to `account` if one is allowed within `maxWait`, waiting for it; otherwise
    /// takes nothing and returns how long the account is still busy.
    public func acquire(account: String, limit: SyncConfiguration.RateLimit, waitingAtMost maxWait: Duration) async throws -> Duration? {
        let deadline = ContinuousClock.now + maxWait
        while true {
            let milliseconds = try await take(account: account, limit: limit)
            guard milliseconds > 0 else { return nil }
            let wait = Duration.milliseconds(milliseconds)
            if ContinuousClock.now + wait > deadline { return wait }
            try await Task.sleep(for: wait)
        }
    }

    /// Takes a token if there is one: 0, or the milliseconds to wait before asking again.
    func take(account: String, limit: SyncConfiguration.RateLimit) async throws -> Int {
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let reply = try await redis.evalsha(
            Self.takeScript,
            keys: Self.keys(account),
            args: [.double(limit.requestsPerSecond), .integer(limit.burst), .integer(now)]
        )
        guard case .integer(let wait) = reply else { throw RedisError.unexpectedReply("the rate limiter's script answered \(reply)") }
        return wait
    }

    /// The provider said to wait: every replica pauses calls to `account` that long.
    public func pause(account: String, for duration: Duration) async throws {
        let milliseconds = max(1, duration.wholeMilliseconds)
        _ = try await redis.send("SET", Self.keys(account)[1], "1", "PX", milliseconds)
    }
}
