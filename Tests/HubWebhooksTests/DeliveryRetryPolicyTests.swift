import Foundation
import HubCore
import HubWebhooks
import XCTest

final class DeliveryRetryPolicyTests: XCTestCase {
    func outcome(_ status: Int?, retryAfter: Double? = nil) -> AttemptOutcome {
        AttemptOutcome(attemptedAt: Date(), statusCode: status, latencyMilliseconds: 1, retryAfterSeconds: retryAfter)
    }

    func testTheDefaultScheduleMakesAtLeastEightAttemptsOverAtLeastADay() {
        let configuration = WebhookConfiguration()
        let policy = DeliveryRetryPolicy(configuration: configuration)
        XCTAssertGreaterThanOrEqual(policy.maximumAttempts, 8)
        let shortest = configuration.retrySchedule.reduce(0, +) * (1 - configuration.retryJitter)
        XCTAssertGreaterThanOrEqual(shortest, 86_400, "retries span a day even with every wait jittered short")
    }

    func testDecisions() {
        let policy = DeliveryRetryPolicy(schedule: [10, 100], jitter: 0.1, maxRetryAfterSeconds: 60)
        XCTAssertEqual(policy.decide(outcome(204), attempt: 1), .delivered)
        XCTAssertEqual(policy.decide(outcome(410), attempt: 1), .gone)
        guard case .retry(let first) = policy.decide(outcome(500), attempt: 1) else { return XCTFail() }
        XCTAssertTrue((9...11).contains(first), "\(first)")
        guard case .retry(let second) = policy.decide(outcome(nil), attempt: 2) else { return XCTFail() }
        XCTAssertTrue((90...110).contains(second), "\(second)")
        XCTAssertEqual(policy.decide(outcome(500), attempt: 3), .failed)
        XCTAssertEqual(policy.decide(outcome(429, retryAfter: 30), attempt: 1), .retry(after: 30))
        XCTAssertEqual(policy.decide(outcome(503, retryAfter: 3_600), attempt: 1), .retry(after: 60), "capped")
        XCTAssertNotEqual(policy.decide(outcome(500, retryAfter: 30), attempt: 1), .retry(after: 30), "only 429 and 503")
    }

    func testJitterSpreadsRetries() {
        let policy = DeliveryRetryPolicy(schedule: [100], jitter: 0.2, maxRetryAfterSeconds: 60)
        let delays = Set(
            (0..<50).map { _ -> Double in
                if case .retry(let after) = policy.decide(outcome(500), attempt: 1) { return after }
                return -1
            }
        )
        XCTAssertGreaterThan(delays.count, 40)
        XCTAssertTrue(delays.allSatisfy { (80...120).contains($0) })
    }
}
