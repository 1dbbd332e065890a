import Foundation
import HubCore
@testable import HubWebhooks
import XCTest

/// When the claim loop is asked to claim again before its poll: the dispatcher's shared state.
final class DeliveryDispatcherStateTests: XCTestCase {
    var settings: DeliveryDispatcher.Settings {
        var configuration = WebhookConfiguration()
        configuration.concurrency = 256
        configuration.subscriptionConcurrency = 64
        return DeliveryDispatcher.Settings(configuration: configuration)
    }

    func delivery(subscription: UUID) -> ClaimedDelivery {
        ClaimedDelivery(
            id: UUID(), organizationID: UUID(), subscriptionID: subscription, attempt: 1, attemptInBudget: 1, claimToken: UUID(),
            payload: "{}", url: "https://example.com/hook", secret: SealedSecret(keyID: "k", ciphertext: []), previousSecret: nil,
            subscriptionActive: true)
    }

    func result(_ delivery: ClaimedDelivery) -> DeliveryQueue.Result {
        DeliveryQueue.Result(
            delivery: delivery, outcome: AttemptOutcome(attemptedAt: Date(), statusCode: 204, latencyMilliseconds: 1), decision: .delivered)
    }

    /// Ten subscriptions with 20 attempts each running: neither the global limit (256) nor a
    /// subscription's (64) was ever reached, so only a backlog in the table makes freed room worth
    /// a claim before the poll. Half a claim batch of free room (100) asks for one, once.
    func testWithATableBacklogHalfAClaimOfFreeRoomAsksForAClaim() {
        for backlog in [true, false] {
            var state = DeliveryDispatcher.State()
            state.backlog = backlog
            var running: [ClaimedDelivery] = []
            for _ in 0..<10 {
                let subscription = UUID()
                for _ in 0..<20 {
                    let delivery = delivery(subscription: subscription)
                    state.enqueue(delivery)
                    running.append(delivery)
                }
            }
            while state.next(preferring: nil, settings: settings) != nil {}
            XCTAssertEqual(state.running, 200)
            var askedAt: [Int] = []
            for delivery in running.prefix(150) {
                _ = state.finish(result(delivery), settings: settings)
                if state.claimWanted {
                    askedAt.append(settings.concurrency - state.running)
                    state.claimWanted = false
                }
            }
            XCTAssertEqual(askedAt, backlog ? [100] : [], "backlog \(backlog)")
        }
    }
}
