import HubRedis
import Synchronization

/// The lease a running job holds on its pair's lock; the keeper replaces it when it has to take
/// the lock again, and the runner releases whichever is current at the end.
final class HeldLease: Sendable {
    private let lease: Mutex<RedisLockLease>

    init(_ lease: RedisLockLease) {
        self.lease = Mutex(lease)
    }

    var current: RedisLockLease {
        get { lease.withLock { $0 } }
        set { lease.withLock { $0 = newValue } }
    }
}
