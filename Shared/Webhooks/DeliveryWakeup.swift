import Foundation
import HubCore
import Synchronization

/// Wakes the delivery workers of this process when there is new work (an event accepted, a
/// resend, a recover), so a delivery does not wait for the next poll. A signal wakes every
/// waiter; a signal with nobody waiting is kept for the next wait. Other replicas find the work
/// on their next poll. `signal()` says there is due work in the table (workers claim);
/// `signalHandoff()` that deliveries claimed at accept time wait in `handoff` (no claim needed).
public final class DeliveryWakeup: Sendable {
    /// Deliveries claimed by the accepting transaction for this process's workers.
    public let handoff = DeliveryHandoff()

    private struct State {
        var pending = false
        /// Counts `signal()`s: a worker claims from the table when it moved since its last claim.
        var tableSignals: UInt64 = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Waits whose timeout fired before they were registered.
        var expired: Set<UUID> = []
    }
    private let state = Mutex(State())

    public init() {}

    /// There is due work in the table (a new event, a resend, a recover): workers claim it.
    public func signal() {
        wake(table: true)
    }

    /// Deliveries were handed off in memory (`handoff`): workers take them without a claim.
    public func signalHandoff() {
        wake(table: false)
    }

    /// How many table signals there were so far.
    var tableSignals: UInt64 { state.withLock { $0.tableSignals } }

    /// Marks of timeouts that fired before their wait began (for tests: none outlives its wait).
    var expiredMarks: Int { state.withLock { $0.expired.count } }

    /// Waits under way (for tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    private func wake(table: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if table { state.tableSignals &+= 1 }
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns on a signal, after `timeout`, at once if a signal came while nobody waited, or
    /// when the calling task is cancelled.
    public func wait(timeout: Duration) async {
        let wait = TimedWait(wakeup: self)
        DeadlineWatch.shared(timeout).add(wait)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.expired.remove(wait.id) != nil { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[wait.id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            resume(wait)
        }
        // Under the lock, so a timeout firing now leaves no mark behind.
        state.withLock { state in
            wait.ended.store(true, ordering: .releasing)
            _ = state.expired.remove(wait.id)
        }
    }

    /// Ends one wait (its timeout, or its task cancelled), if it is still waiting; marks it if it
    /// has not begun to wait yet.
    fileprivate func resume(_ wait: TimedWait) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: wait.id) { return waiter }
            if !wait.ended.load(ordering: .acquiring) { state.expired.insert(wait.id) }
            return nil
        }
        waiter?.resume()
    }
}

/// One `DeliveryWakeup.wait`, as its timeout sees it.
private final class TimedWait: Expiring {
    let id = UUID.random()
    let wakeup: DeliveryWakeup
    let ended = Atomic(false)

    init(wakeup: DeliveryWakeup) {
        self.wakeup = wakeup
    }

    var hasEnded: Bool { ended.load(ordering: .acquiring) }

    func expire() { wakeup.resume(self) }
}
