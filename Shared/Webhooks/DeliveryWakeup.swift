import Foundation
import Synchronization

/// Wakes the delivery workers of this process when there is new work (an event accepted, a
/// resend, a recover), so a delivery does not wait for the next poll. A signal wakes every
/// waiter; a signal with nobody waiting is kept for the next wait. Other replicas find the work
/// on their next poll.
public final class DeliveryWakeup: Sendable {
    private struct State {
        var pending = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Waits whose timeout fired before they were registered.
        var expired: Set<UUID> = []
    }
    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns on a signal, after `timeout`, or at once if a signal came while nobody waited.
    public func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                resume(id)
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.expired.remove(id) != nil { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
            group.cancelAll()
        }
        // The timeout task has ended with the group; forget a mark it may have left.
        state.withLock { _ = $0.expired.remove(id) }
    }

    /// Ends one waiter's wait (its timeout), if it is still waiting.
    private func resume(_ id: UUID) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}
