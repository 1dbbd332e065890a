import Foundation
import HubCore

/// Decides what follows an attempt: delivered, another attempt later (the configured schedule
/// with jitter, or the receiver's `Retry-After` on 429/503), or failed for good. A `410 Gone`
/// fails the delivery and disables the subscription.
public struct DeliveryRetryPolicy: Sendable {
    public let schedule: [Double]
    public let jitter: Double
    public let maxRetryAfterSeconds: Double

    public init(schedule: [Double], jitter: Double, maxRetryAfterSeconds: Double) {
        self.schedule = schedule
        self.jitter = jitter
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    public init(configuration: WebhookConfiguration) {
        self.init(
            schedule: configuration.retrySchedule,
            jitter: configuration.retryJitter,
            maxRetryAfterSeconds: Double(configuration.maxRetryAfterSeconds)
        )
    }

    public enum Decision: Sendable, Equatable {
        case delivered
        case retry(after: Double)
        case failed
        /// Failed, and the endpoint asked never to be called again.
        case gone
    }

    /// Attempts in all: the first plus one per scheduled wait.
    public var maximumAttempts: Int { schedule.count + 1 }

    public func decide(_ outcome: AttemptOutcome, attempt: Int) -> Decision {
        if outcome.succeeded { return .delivered }
        if outcome.statusCode == 410 { return .gone }
        guard attempt < maximumAttempts else { return .failed }
        if let requested = outcome.retryAfterSeconds, outcome.statusCode == 429 || outcome.statusCode == 503 {
            return .retry(after: min(max(requested, 0), maxRetryAfterSeconds))
        }
        let base = schedule[min(attempt - 1, schedule.count - 1)]
        return .retry(after: base * (1 + Double.random(in: -jitter...jitter)))
    }
}
