import Foundation
import HubCore
import Synchronization

extension DeliveryDispatcher {
    /// The deliveries this process holds (queued here or being attempted), the results not yet
    /// written, and the claims to give back.
    struct State {
        var running = 0
        var runningBySubscription: [UUID: Int] = [:]
        /// Per subscription: attempts running plus deliveries queued here (what a claim counts).
        var held: [UUID: Int] = [:]
        /// Claimed deliveries waiting for a place, first in first out per subscription.
        var queued: [UUID: [ClaimedDelivery]] = [:]
        var queuedCount = 0
        var results: [DeliveryQueue.Result] = []
        /// Claims given back unattempted (not started in time, or the dispatcher stopped).
        var released: [ClaimedDelivery] = []
        var stopping = false
        /// The claim loop ended: nothing more is queued or handed off.
        var closed = false
        /// More is probably due in the table than this process took: the last claim filled its
        /// limit, or the table had work when there was no room to claim it.
        var tableBacklog = false
        /// Subscriptions with due deliveries probably left in the table because this process
        /// held as many of theirs as it may run: the last claim stopped at their limit, or an
        /// accept found them saturated.
        var cappedInTable: Set<UUID> = []
        /// The claim loop was woken for a claim and has not looked yet (one wake-up is enough).
        var claimSignalled = false

        mutating func enqueue(_ delivery: ClaimedDelivery) {
            queued[delivery.subscriptionID, default: []].append(delivery)
            queuedCount += 1
            held[delivery.subscriptionID, default: 0] += 1
        }

        /// The next queued delivery allowed to start now, `subscription`'s first, counted as
        /// running. A claim held here too long to be attempted within its lease is released.
        mutating func next(preferring subscription: UUID?, settings: Settings) -> ClaimedDelivery? {
            guard !stopping, running < settings.concurrency, queuedCount > 0 else { return nil }
            if let subscription, let delivery = pop(subscription, settings: settings) { return delivery }
            for subscription in Array(queued.keys) {
                if let delivery = pop(subscription, settings: settings) { return delivery }
            }
            return nil
        }

        private mutating func pop(_ subscription: UUID, settings: Settings) -> ClaimedDelivery? {
            let now = ContinuousClock.now
            while (runningBySubscription[subscription] ?? 0) < settings.subscriptionConcurrency, queued[subscription] != nil {
                let delivery = queued[subscription]!.removeFirst()
                if queued[subscription]!.isEmpty { queued[subscription] = nil }
                queuedCount -= 1
                guard now - delivery.claimedAt < DeliveryDispatcher.startWithin else {
                    released.append(delivery)
                    drop(subscription)
                    continue
                }
                running += 1
                runningBySubscription[subscription, default: 0] += 1
                return delivery
            }
            return nil
        }

        mutating func drop(_ subscription: UUID) {
            let remaining = (held[subscription] ?? 1) - 1
            held[subscription] = remaining > 0 ? remaining : nil
        }

        /// Records an attempt's result; returns the next delivery to attempt in its place, and
        /// whether the claim loop should be woken to claim from the table.
        mutating func finish(_ result: DeliveryQueue.Result, settings: Settings) -> (next: ClaimedDelivery?, wakeClaimLoop: Bool) {
            let subscription = result.delivery.subscriptionID
            results.append(result)
            running -= 1
            let runningHere = (runningBySubscription[subscription] ?? 1) - 1
            runningBySubscription[subscription] = runningHere > 0 ? runningHere : nil
            drop(subscription)
            var wake = false
            // Room for a subscription's claim coming back lets every marked subscription count, not
            // only this one.
            let roomCameBack = free(settings) == DeliveryDispatcher.subscriptionClaimRoom(settings)
            if !claimSignalled, claimDue(settings, after: subscription) || (roomCameBack && claimDue(settings)) {
                claimSignalled = true
                wake = true
            }
            return (next(preferring: subscription, settings: settings), wake)
        }

        /// Places neither running nor promised to a queued delivery.
        func free(_ settings: Settings) -> Int {
            settings.concurrency - running - queuedCount
        }

        /// Whether a claim from the table is worth making before the poll: with a backlog there,
        /// once half a claim's worth of room is free here; for a subscription with deliveries left
        /// there, once it is down to half its limit. Level, not edge: a claim that took less than
        /// expected (attempts ended while it ran) is followed by another at once, not by the poll, so
        /// a one-subscription backlog does not drain at one claim per poll.
        ///
        /// `after`: only that subscription is checked, its count having just changed (an attempt of
        /// its ended). The room changed for all; `finish` checks them all when it comes back.
        func claimDue(_ settings: Settings, after subscription: UUID? = nil) -> Bool {
            let free = self.free(settings)
            guard !stopping, free > 0 else { return false }
            if tableBacklog && free >= DeliveryDispatcher.claimThreshold(settings) { return true }
            // Not a claim per finished attempt while the process is full: room for a worthwhile claim first.
            guard free >= DeliveryDispatcher.subscriptionClaimRoom(settings) else { return false }
            let half = settings.subscriptionConcurrency / 2
            if let subscription {
                return cappedInTable.contains(subscription) && held[subscription, default: 0] <= half
            }
            return cappedInTable.contains { held[$0, default: 0] <= half }
        }

        /// Takes what a claim from the table returned, and what it tells of the table: a claim
        /// that filled its limit leaves a backlog; one that stopped at a subscription's limit
        /// leaves that subscription's. Subscriptions the claim skipped (already at their limit)
        /// keep what was known of them.
        mutating func took(_ claimed: [ClaimedDelivery], limit: Int, inFlight: [UUID: Int], settings: Settings) {
            var counts: [UUID: Int] = [:]
            for delivery in claimed {
                enqueue(delivery)
                counts[delivery.subscriptionID, default: 0] += 1
            }
            tableBacklog = claimed.count >= limit
            cappedInTable = cappedInTable.filter { inFlight[$0, default: 0] >= settings.subscriptionConcurrency }
            for (subscription, count) in counts where count >= settings.subscriptionConcurrency - inFlight[subscription, default: 0] {
                cappedInTable.insert(subscription)
            }
        }

        /// What a hand-off may add now.
        func room(_ settings: Settings) -> DeliveryHandoff.Room {
            guard !stopping else { return DeliveryHandoff.Room(free: 0, saturated: []) }
            return DeliveryHandoff.Room(
                free: free(settings),
                saturated: held.compactMap { $0.value >= settings.subscriptionConcurrency ? $0.key : nil }
            )
        }

        /// Gives back everything queued here and not started.
        mutating func releaseQueued(_ more: [ClaimedDelivery]) {
            for (_, deliveries) in queued { released.append(contentsOf: deliveries) }
            released.append(contentsOf: more)
            queued = [:]
            queuedCount = 0
        }
    }

    /// The state the claim loop, the attempts and the result writer share.
    final class SharedState: Sendable {
        let mutex = Mutex(State())
        /// Wakes the result writer when there is something to write.
        let resultsReady = DeliveryWakeup()

        func withLock<T>(_ body: (inout State) -> T) -> T {
            mutex.withLock { body(&$0) }
        }
    }
}
