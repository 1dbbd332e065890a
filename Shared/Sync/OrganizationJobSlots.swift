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

    /// KEYS[1] the organization's running set; ARGV job id, now and ttl in milliseconds, cap,
    /// and 1 when the slot's holder renews it. Drops stale entries; a held slot answers 2, renewed
    /// only by its holder (another claimer's look must not keep a dead worker's slot alive);
    /// otherwise takes a free slot (1) or finds the organization at its cap (0).
    static let takeScript = RedisScript(
        """
        local now = tonumber(ARGV[2])
        local ttl = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
            if ARGV[5] == '1' then
                redis.call('ZADD', KEYS[1], now, ARGV[1])
                redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return 2
        end
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ttl)
        return 1
        """
    )

    static func key(_ organization: String) -> String { "hub:sync:running:\(organization)" }

    /// What `take` found.
    public enum Take: Sendable, Equatable {
        /// The job has a slot now (the caller holds it and gives it back).
        case taken
        /// The job already held a live slot: another claimer of the same job runs it (or, for
        /// `renew`, the caller's own slot was renewed).
        case alreadyHeld
        /// The organization is at its cap.
        case full
    }

    /// Takes a slot for `job`; a slot it already holds is left as it is.
    public func take(organization: String, job: String) async throws -> Take {
        try await take(organization: organization, job: job, renewing: false)
    }

    /// Renews the slot the caller holds for `job` (or takes one again if it went stale and one is free).
    public func renew(organization: String, job: String) async throws -> Take {
        try await take(organization: organization, job: job, renewing: true)
    }

    func take(organization: String, job: String, renewing: Bool) async throws -> Take {
        guard cap > 0 else { return .taken }
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let reply = try await redis.evalsha(
            Self.takeScript,
            keys: [Self.key(organization)],
            args: [.string(job), .integer(now), .integer(ttl.wholeMilliseconds), .integer(cap), .integer(renewing ? 1 : 0)]
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
                        _ = try? await slots.renew(organization: organization, job: job)
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
