extension ServiceClient {
    /// How often an idempotent call to another service is tried, and how long to wait between
    /// tries: exponential backoff with full jitter, so replicas that lost a peer together do not
    /// come back to it in step.
    public struct Retry: Sendable, Equatable {
        public var maxAttempts: Int
        public var baseDelay: Duration
        public var maxDelay: Duration

        public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(1)) {
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }

        /// The wait before attempt `attempt + 1` (attempt counts from 1).
        func backoff(afterAttempt attempt: Int) -> Duration {
            let capped = min(baseDelay * (1 << min(attempt - 1, 20)), maxDelay)
            return .nanoseconds(Int64.random(in: 0...max(1, capped.nanoseconds)))
        }

        public static let none = Retry(maxAttempts: 1)
    }
}
