/// How many times and how long to wait before repeating a failed provider call.
/// Exponential backoff with full jitter (AWS's "full jitter": a random wait between zero and the
/// capped exponential), so many workers retrying after one outage do not retry in lockstep.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Longest `Retry-After` the transport waits out itself; longer ones are handed to the caller
    /// as `rateLimited` (a sync job then yields its lease instead of sleeping on it).
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 20)
        let capped = min(baseDelay * (1 << exponent), maxDelay)
        let milliseconds = Int(capped.components.seconds * 1000 + capped.components.attoseconds / 1_000_000_000_000_000)
        return .milliseconds(Int.random(in: 0...max(1, milliseconds)))
    }

    public static let none = RetryPolicy(maxAttempts: 1)
}
