import Foundation
import HubConnections
import HubCore
import HubRedis
import HubSync
import Logging
import ServiceLifecycle

/// One replica at a time (a leader lock, re-taken every round) turns due schedules into jobs and
/// re-sends the ids of unfinished jobs whose stream entry may be lost. The SQL itself makes each
/// due run enqueue once even if two replicas ran a round together; the lock only saves the work.
struct SyncScheduler: Service {
    static let leaderKey = "hub:lock:sync-scheduler"

    let syncs: SyncRepository
    let redis: RedisClient
    /// The job stream: each round first asks it whether Redis restarted (perhaps from an older
    /// snapshot, without the newest job ids), which sends every unfinished job again at once.
    let jobs: RedisStreamQueue
    let interval: Duration
    let republishAfter: Duration
    /// A running job whose worker has not beaten for this long (the lock's lease) has most likely
    /// lost its lock and its worker; sending it again is harmless if not (the lock, the fence).
    let silentAfter: Duration
    /// A round stuck longer (a statement on a connection that died with PostgreSQL) is abandoned,
    /// so the rounds go on; a round running twice is harmless (above).
    let roundDeadline: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await leadWhileRunning() }
    }

    /// Rounds every `interval` while this replica holds (or can take) the leader lock.
    func leadWhileRunning() async {
        let lock = RedisLock(client: redis)
        var lease: RedisLockLease?
        while !Task.isCancelled {
            do {
                if let held = lease, try await lock.extend(held, ttl: interval * 3) {
                    // still the leader
                } else {
                    lease = try await lock.acquire(key: Self.leaderKey, ttl: interval * 3)
                }
                if lease != nil { try await withDeadline(roundDeadline, "a sync scheduling round") { try await round() } }
            } catch is CancellationError where Task.isCancelled {
                break
            } catch {
                lease = nil
                logger.warning("sync scheduling round failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: interval)
        }
        if let lease { _ = try? await lock.release(lease) }
    }

    func round() async throws {
        try await jobs.detectRestart()
        let due = try await syncs.enqueueDue()
        if !due.isEmpty {
            await SyncJobStream.publish(due, redis: redis, orMarkUnpublishedIn: syncs)
            logger.info("scheduled syncs enqueued", metadata: ["count": "\(due.count)"])
        }
        let lost = try await syncs.republishable(olderThan: republishAfter, silentFor: silentAfter)
        if !lost.isEmpty {
            await SyncJobStream.publish(lost, redis: redis, orMarkUnpublishedIn: syncs)
            logger.info("unfinished sync jobs sent again", metadata: ["count": "\(lost.count)"])
        }
    }
}
