import HubCore
import HubSync

/// Slack accepts about one message per second per channel. The pace is kept in Redis (the sync
/// engine's provider rate limiter, one token a second per channel), so every webhook-service
/// replica shares it: an attempt waits up to `maxWait` for its turn, and a 429's `Retry-After`
/// holds the channel for all of them.
struct SlackChannelPacer: Sendable {
    let limiter: ProviderRateLimiter
    let maxWait: Duration
    static let limit = SyncConfiguration.RateLimit(requestsPerSecond: 1, burst: 1)

    init(limiter: ProviderRateLimiter, maxWait: Duration = .seconds(5)) {
        self.limiter = limiter
        self.maxWait = maxWait
    }

    /// Waits for the channel's turn and takes it; nil when taken, otherwise (nothing taken) how
    /// long the channel is still busy.
    func take(_ channel: String) async throws -> Duration? {
        try await limiter.acquire(account: Self.account(channel), limit: Self.limit, waitingAtMost: maxWait)
    }

    /// Keeps the channel closed for `duration` (Slack asked to wait), in every replica.
    func hold(_ channel: String, for duration: Duration) async throws {
        try await limiter.pause(account: Self.account(channel), for: duration)
    }

    static func account(_ channel: String) -> String { "slack:\(channel)" }
}
