import Foundation
import HubRedis

/// How many of one organization's jobs run at once across every worker: a sorted set per
/// organization in Redis, of the job ids running, scored by when their worker last said so. A
/// worker that dies leaves its entry to go stale after `ttl`, so a crash never holds a slot for
/// good; a live one renews its entry while the job runs.
public struct OrganizationJobSlots: Sendable {
    let redis: RedisClient
    /// Jobs of one organization at once; 0 means no cap.
    public let cap: Int
    public let ttl: Duration

    public init(redis: RedisClient, cap: Int, ttl: Duration) {
        self.redis = redis
        self.cap = cap
        self.ttl = ttl
    }

    /// KEYS[1] the organization's running set; ARGV job id, now and ttl in milliseconds, cap.
    /// Drops stale entries, then takes (or renews) the job's slot if it holds one or one is free:
    /// 1 when it has a slot, 0 when the organization is at its cap.
    static let takeScript = RedisScript(
        """
        local now = tonumber(ARGV[2])
        local ttl = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
        local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not held and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ttl)
        if held then return 2 end
        return 1
        """
    )

    static func key(_ organization: String) -> String { "hub:sync:running:\(organization)" }

    /// What `take` found.
    public enum Take: Sendable, Equatable {
        /// The job has a slot now (the caller holds it and gives it back).
        case taken
        /// The job already held a live slot: another claimer of the same job runs it (or this
        /// caller renewed its own).
        case alreadyHeld
        /// The organization is at its cap.
        case full
    }

    /// Takes a slot for `job`, or renews the one it holds.
    public func take(organization: String, job: String) async throws -> Take {
        guard cap > 0 else { return .taken }
        let reply = try await redis.evalsha(
            Self.takeScript,
            keys: [Self.key(organization)],
            args: [.string(job), .integer(Int(Date().timeIntervalSince1970 * 1000)), .integer(ttl.wholeMilliseconds), .integer(cap)]
        )
        switch reply {
        case .integer(1): return .taken
        case .integer(2): return .alreadyHeld
        case .integer(0): return .full
        default: throw RedisError.unexpectedReply("organization slot: \(reply)")
        }
    }

    /// Gives the job's slot back.
    public func release(organization: String, job: String) async throws {
        guard cap > 0 else { return }
        _ = try await redis.send("ZREM", Self.key(organization), job)
    }

    /// Runs `body` while renewing the job's slot every third of `ttl`, then gives it back (a slot
    /// not given back, the worker gone, goes stale after `ttl`).
    public func holding<T: Sendable>(organization: String, job: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard cap > 0 else { return try await body() }
        let slots = self
        let result: T
        do {
            result = try await withThrowingTaskGroup(of: T?.self, returning: T.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    while true {
                        try await Task.sleep(for: slots.ttl / 3)
                        _ = try? await slots.take(organization: organization, job: job)
                    }
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let next { return next }
                }
                throw CancellationError()
            }
        } catch {
            try? await release(organization: organization, job: job)
            throw error
        }
        try? await release(organization: organization, job: job)
        return result
    }
}
