import Foundation
import HubCore
import XCTest

@testable import HubWebhooks

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
            id: UUID(),
            organizationID: UUID(),
            subscriptionID: subscription,
            attempt: 1,
            attemptInBudget: 1,
            claimToken: UUID(),
            payload: "{}",
            url: "https://example.com/hook",
            secret: SealedSecret(keyID: "k", ciphertext: []),
            previousSecret: nil,
            subscriptionActive: true
        )
    }

    func result(_ delivery: ClaimedDelivery) -> DeliveryQueue.Result {
        DeliveryQueue.Result(
            delivery: delivery,
            outcome: AttemptOutcome(attemptedAt: Date(), statusCode: 204, latencyMilliseconds: 1),
            decision: .delivered
        )
    }

    /// Starts every queued delivery the limits allow; returns how many started.
    @discardableResult
    func startAll(_ state: inout DeliveryDispatcher.State) -> Int {
        var started = 0
        while state.next(preferring: nil, settings: settings) != nil { started += 1 }
        return started
    }

    /// Ten subscriptions with 20 attempts each running: neither the global limit (256) nor a
    /// subscription's (64) was ever reached, so only a backlog in the table makes freed room worth
    /// a claim before the poll. Half a claim batch of free room (100) wakes the claim loop, once
    /// until it has looked.
    func testWithATableBacklogHalfAClaimOfFreeRoomAsksForAClaim() {
        for backlog in [true, false] {
            var state = DeliveryDispatcher.State()
            state.tableBacklog = backlog
            var running: [ClaimedDelivery] = []
            for _ in 0..<10 {
                let subscription = UUID()
                for _ in 0..<20 {
                    let delivery = delivery(subscription: subscription)
                    state.enqueue(delivery)
                    running.append(delivery)
                }
            }
            XCTAssertEqual(startAll(&state), 200)
            var askedAt: [Int] = []
            for delivery in running.prefix(150) where state.finish(result(delivery), settings: settings).wakeClaimLoop {
                askedAt.append(settings.concurrency - state.running)
            }
            XCTAssertEqual(askedAt, backlog ? [100] : [], "backlog \(backlog)")
            XCTAssertEqual(state.claimDue(settings), backlog)
        }
    }

    /// The drain that ran at one claim per poll: with one subscription's backlog in the table, a
    /// claim made while 32 of its attempts were held took the 32 its limit allowed, and those 32
    /// attempts all ended while the claim ran. The subscription is then at half its limit with
    /// more in the table, so another claim is due at once, and as its attempts end the claim loop
    /// is woken again, not left to the poll.
    func testASubscriptionStoppedAtItsLimitIsClaimedAgainWithoutWaitingForThePoll() {
        var state = DeliveryDispatcher.State()
        let subscription = UUID()
        let first = (0..<32).map { _ in delivery(subscription: subscription) }
        for delivery in first { state.enqueue(delivery) }
        startAll(&state)
        let inFlight = state.held
        for delivery in first { XCTAssertFalse(state.finish(result(delivery), settings: settings).wakeClaimLoop) }
        let claimed = (0..<32).map { _ in delivery(subscription: subscription) }
        state.took(claimed, limit: 200, inFlight: inFlight, settings: settings)
        XCTAssertEqual(state.cappedInTable, [subscription])
        XCTAssertFalse(state.tableBacklog, "200 were asked for and 32 came: no backlog beyond the subscription's")
        XCTAssertTrue(state.claimDue(settings), "32 held of 64 with more in the table")

        // The loop claimed again: 64 held, nothing due until they are down to 32.
        let second = (0..<32).map { _ in delivery(subscription: subscription) }
        let before = state.held
        state.took(second, limit: 200, inFlight: before, settings: settings)
        XCTAssertEqual(startAll(&state), 64)
        XCTAssertFalse(state.claimDue(settings))
        var wokenAt: [Int] = []
        for delivery in claimed + second where state.finish(result(delivery), settings: settings).wakeClaimLoop {
            wokenAt.append(state.held[subscription] ?? 0)
        }
        XCTAssertEqual(wokenAt, [32], "woken once, at half the limit, until the loop looks")
        state.claimSignalled = false
        XCTAssertTrue(state.claimDue(settings), "still due after the last attempt ended")
    }

    /// A subscription left in the table came down to half its limit while this process had no
    /// room at all (another subscription's queue filled it): the attempt of the other that makes
    /// room for half the waiting one's limit wakes the claim loop, though its own subscription has
    /// nothing in the table.
    func testRoomComingBackWakesTheClaimLoopForAnySubscriptionLeftInTheTable() {
        var state = DeliveryDispatcher.State()
        let (waiting, busy) = (UUID(), UUID())
        state.cappedInTable = [waiting]
        for _ in 0..<10 { state.enqueue(delivery(subscription: waiting)) }
        var busyOnes: [ClaimedDelivery] = []
        for _ in 0..<246 {
            let delivery = delivery(subscription: busy)
            busyOnes.append(delivery)
            state.enqueue(delivery)
        }
        startAll(&state)
        XCTAssertEqual(state.running, 74)
        XCTAssertFalse(state.claimDue(settings), "no room")
        // Not a claim per finished attempt: the loop is woken once there is room for half the
        // waiting subscription's limit (32), not at the first free place.
        var wokenAt: [Int] = []
        for delivery in busyOnes.prefix(64) where state.finish(result(delivery), settings: settings).wakeClaimLoop {
            wokenAt.append(state.free(settings))
        }
        XCTAssertEqual(wokenAt, [32])
    }

    /// A claim that got fewer than a subscription's room found its backlog gone; a subscription
    /// the claim skipped (already at its limit) keeps its mark; an accept that left deliveries in
    /// the table for a saturated subscription marks it.
    func testWhatAClaimTellsOfTheTableReplacesOnlyWhatItLookedAt() {
        var state = DeliveryDispatcher.State()
        let (drained, skipped, accepted) = (UUID(), UUID(), UUID())
        state.cappedInTable = [drained, skipped]
        for _ in 0..<64 { state.enqueue(delivery(subscription: skipped)) }
        let inFlight = state.held
        state.took([delivery(subscription: drained)], limit: 200, inFlight: inFlight, settings: settings)
        XCTAssertEqual(state.cappedInTable, [skipped])

        state.cappedInTable.formUnion([accepted])
        XCTAssertTrue(state.claimDue(settings), "nothing held for the subscription an accept left in the table")
        state.stopping = true
        XCTAssertFalse(state.claimDue(settings), "nothing is claimed while stopping")
    }
}
