import Synchronization

/// How many updates are still to find their object edited in QuickBooks itself just before (set
/// through the admin API): the race a client loses when a user saves between its read and its
/// write, which Intuit answers with a stale-`SyncToken` fault.
final class QuickBooksConcurrentEdits: Sendable {
    private let remaining = Mutex(0)

    func set(_ count: Int) {
        remaining.withLock { $0 = max(0, count) }
    }

    /// Takes one; false when none is left.
    func take() -> Bool {
        remaining.withLock { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }
}
