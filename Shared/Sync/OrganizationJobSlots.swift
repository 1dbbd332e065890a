import Foundation
import HubRedis

/// How many of one organization's jobs run at once across every worker: a sorted set per
/// organization in Redis, of the job ids running, scored by when their worker last said so, and
/// beside it a hash of each slot's holder token. A worker that dies leaves its entry to go stale
/// after `ttl`, so a crash never holds a slot for good; a live one renews its entry while the job
/// runs. Only the token's holder renews or gives a slot back: a holder that stalled past `ttl`,
/// whose job another claimer took up meanwhile, cannot free that claimer's slot.
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

    /// A slot taken for one job; its token is what renews and gives it back.
    public struct Slot: Sendable, Equatable {
        public let organization: String
        public let job: String
        let token: String
    }

    /// What `take` found.
    public enum Take: Sendable, Equatable {
        /// The job has a slot now (the caller holds it and gives it back).
        case taken(Slot)
        /// The job already held a live slot: another claimer of the same job runs it.
        case alreadyHeld
        /// The organization is at its cap.
        case full
    }

    /// KEYS[1] the organization's running set, KEYS[2] its holders; ARGV job id, now and ttl in
    /// milliseconds, cap, token, and 1 when the token's holder renews. Drops stale entries; a
    /// held slot is renewed only by its holder (1; another claimer's look must not keep a dead
    /// worker's slot alive: 2); otherwise takes a free slot (1) or finds the organization at its
    /// cap (0).
    static let takeScript = RedisScript(
        """
        local now = tonumber(ARGV[2])
        local ttl = tonumber(ARGV[3])
        for _, job in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)) do
            redis.call('ZREM', KEYS[1], job)
            redis.call('HDEL', KEYS[2], job)
        end
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
            if ARGV[6] ~= '1' or redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[5] then return 2 end
        elseif redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
            return 0
        end
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ttl)
        redis.call('PEXPIRE', KEYS[2], ttl)
        return 1
        """
    )

    /// KEYS as `takeScript`'s; ARGV job id and token. Gives the slot back if the token holds it.
    static let releaseScript = RedisScript(
        """
        if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
            redis.call('ZREM', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            return 1
        end
        return 0
        """
    )

    static func keys(_ organization: String) -> [String] {
        ["hub:sync:running:\(organization)", "hub:sync:running:\(organization):holders"]
    }

    /// Takes a slot for `job`; a slot the job already holds is left as it is.
    public func take(organization: String, job: String) async throws -> Take {
        let slot = Slot(organization: organization, job: job, token: RedisLockLease.makeToken())
        guard cap > 0 else { return .taken(slot) }
        switch try await run(slot, renewing: false) {
        case 1: return .taken(slot)
        case 2: return .alreadyHeld
        default: return .full
        }
    }

    /// Renews the caller's slot, or takes it again if it went stale and one is free; false when
    /// it is another claimer's now, or the organization is at its cap.
    @discardableResult
    public func renew(_ slot: Slot) async throws -> Bool {
        guard cap > 0 else { return true }
        return try await run(slot, renewing: true) == 1
    }

    func run(_ slot: Slot, renewing: Bool) async throws -> Int {
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let reply = try await redis.evalsha(
            Self.takeScript,
            keys: Self.keys(slot.organization),
            args: [
                .string(slot.job), .integer(now), .integer(ttl.wholeMilliseconds), .integer(cap), .string(slot.token),
                .integer(renewing ? 1 : 0),
            ]
        )
        guard case .integer(let outcome) = reply, (0...2).contains(outcome) else {
            throw RedisError.unexpectedReply("organization slot: \(reply)")
        }
        return outcome
    }

    /// Gives the slot back, if it is still the caller's.
    public func release(_ slot: Slot) async throws {
        guard cap > 0 else { return }
        _ = try await redis.evalsha(Self.releaseScript, keys: Self.keys(slot.organization), args: [.string(slot.job), .string(slot.token)])
    }

    /// Runs `body` while renewing the slot every third of `ttl`, then gives it back (a slot not
    /// given back, the worker gone, goes stale after `ttl`).
    public func holding<T: Sendable>(_ slot: Slot, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard cap > 0 else { return try await body() }
        let slots = self
        let result: T
        do {
            result = try await withThrowingTaskGroup(of: T?.self, returning: T.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    while true {
                        try await Task.sleep(for: slots.ttl / 3)
                        _ = try? await slots.renew(slot)
                    }
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let next { return next }
                }
                throw CancellationError()
            }
        } catch {
            try? await release(slot)
            throw error
        }
        try? await release(slot)
        return result
    }
}
