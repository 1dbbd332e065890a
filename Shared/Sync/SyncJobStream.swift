import Foundation
import HubCore
import HubRedis
import Logging

/// The Redis stream that carries sync job ids to the workers (one consumer group shared by every
/// replica). The job rows are the truth: an entry lost here (a failed `XADD`, a flushed Redis) is
/// sent again by the scheduler's sweep of unfinished jobs.
public enum SyncJobStream {
    public static let name = "hub:sync:jobs"
    public static let group = "sync-workers"

    /// The workers' queue. A lost stream (Redis flushed, restarted empty or failed over) took the
    /// ids of the unfinished jobs with it: the queue that recreates it sends again, at once rather
    /// than at the scheduler's next sweep, every queued job and every running one whose worker
    /// has not beaten for `silentFor` (a live worker keeps its job and takes its lock again).
    /// The other running jobs are marked unpublished, so the sweep sends each again once its
    /// worker is silent that long (one that died just before the loss), not minutes later. That
    /// work is abandoned after `deadline` if stuck on PostgreSQL, so the consumer's loop goes on
    /// (the sweep then sends again what it did not).
    public static func queue(
        _ redis: RedisClient,
        syncs: SyncRepository,
        silentFor: Duration,
        deadline: Duration,
        logger: Logger
    ) -> RedisStreamQueue {
        RedisStreamQueue(client: redis, stream: name, group: group) {
            do {
                let jobs = try await withDeadline(deadline, "sending the lost stream's jobs again") {
                    try await syncs.streamLost()
                    return try await syncs.republishable(olderThan: .zero, silentFor: silentFor, limit: 10_000)
                }
                try await publish(jobs, redis: redis)
                // A first start makes the group too; with nothing to send again, nothing was lost.
                if jobs.isEmpty {
                    logger.info("the job stream's consumer group was made, with no unfinished job to send again (a first start, or a lost stream)")
                } else {
                    logger.warning("the job stream was lost; unfinished jobs sent again", metadata: ["count": "\(jobs.count)"])
                }
            } catch {
                logger.error("the job stream was lost and its jobs could not be sent again yet", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Sends new jobs' ids to the workers; when Redis cannot take them (down, restarting), marks
    /// the jobs never published instead, so the scheduler's next round sends them (seconds after
    /// Redis is back, not the sweep's `republishAfter` later). The job rows are committed already:
    /// the caller's answer stands either way.
    public static func publish(_ jobs: [(id: UUID, organization: UUID)], redis: RedisClient, orMarkUnpublishedIn syncs: SyncRepository) async {
        do {
            try await publish(jobs, redis: redis)
        } catch {
            try? await syncs.markUnpublished(jobs.map(\.id))
        }
    }

    /// Sends job ids to the workers; one pipelined round trip.
    public static func publish(_ jobs: [(id: UUID, organization: UUID)], redis: RedisClient) async throws {
        guard !jobs.isEmpty else { return }
        let commands: [[RESPArgument]] = jobs.map { job in
            [
                "XADD", .string(name), "*", "job_id", .string(job.id.uuidString.lowercased()), "org_id",
                .string(job.organization.uuidString.lowercased()),
            ]
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply { throw RedisError.server(message) }
        }
    }
}
