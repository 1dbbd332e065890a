import Foundation
import HubCore
import HubRedis
import HubSync
import Logging

/// Keeps a running job's lock, and its row's heartbeat, while the job runs (`JobRunner`).
struct JobLeaseKeeper: Sendable {
    let lock: RedisLock
    let syncs: SyncRepository

    /// Extends the lease every third of its TTL until cancelled, beating the job's heartbeat with
    /// each extension. A key that vanished (Redis lost its data) is taken again and the job goes
    /// on; a key another worker holds ends the job here with `LostJob` (that worker has it). While
    /// Redis does not answer, nobody else can take the lock either, so the job goes on and the
    /// keeper keeps trying.
    func keep(_ lease: HeldLease, ttl: Duration, job: RunningJob, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: ttl / 3)
            do {
                if try await lock.extend(lease.current, ttl: ttl) {
                    await beat(job, within: ttl / 3, logger: logger)
                    continue
                }
                if let again = try await lock.acquire(key: lease.current.key, ttl: ttl) {
                    lease.current = again
                    logger.warning("sync lock was gone from Redis; taken again, the job goes on")
                    await beat(job, within: ttl / 3, logger: logger)
                    continue
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("sync lock could not be extended; retrying", metadata: ["error": "\(error)"])
                continue
            }
            logger.warning("sync lock taken by another worker; stopping at once (that worker has the job)")
            throw SyncRepository.LostJob(id: job.id)
        }
    }

    /// Tells the job's row that its worker is alive, so a job waiting on its provider is not sent
    /// again as abandoned (`SyncRepository.republishable`). Given up after `within`, so a slow or
    /// restarting PostgreSQL never holds the next extension past the lease. A missed beat costs at
    /// most a needless resend, which the lock makes harmless.
    func beat(_ job: RunningJob, within: Duration, logger: Logger) async {
        do {
            try await withDeadline(within, "writing a sync job's heartbeat") { [syncs] in try await syncs.beat(job) }
        } catch {
            logger.debug("sync job heartbeat not written", metadata: ["error": "\(error)"])
        }
    }
}
