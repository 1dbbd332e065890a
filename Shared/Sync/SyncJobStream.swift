import Foundation
import HubRedis

/// The Redis stream that carries sync job ids to the workers (one consumer group shared by every
/// replica). The job rows are the truth: an entry lost here (a failed `XADD`, a flushed Redis) is
/// sent again by the scheduler's sweep of unfinished jobs.
public enum SyncJobStream {
    public static let name = "hub:sync:jobs"
    public static let group = "sync-workers"

    public static func queue(_ redis: RedisClient) -> RedisStreamQueue {
        RedisStreamQueue(client: redis, stream: name, group: group)
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
