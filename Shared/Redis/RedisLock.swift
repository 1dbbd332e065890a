/// A distributed mutual-exclusion lock on one Redis key, with a time to live.
///
/// `SET key <token> NX PX ttl` acquires; Lua scripts extend and release only if the key still
/// holds our token, so a holder that stalled past its ttl cannot release or extend a lock that
/// someone else has taken since. The ttl bounds how long a crashed holder blocks others;
/// ``withLock(key:ttl:waitingUpTo:body:)`` keeps extending it while the work runs.
///
/// This is the single-instance Redis lock: good for avoiding duplicate work (two workers
/// syncing the same connection), not for correctness under Redis failover.
public struct RedisLock: Sendable {
    private static let extendScript = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """
    )
    private static let releaseScript = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """
    )

    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    /// Tries once to take the lock.
    ///
    /// - Returns: The lease, or `nil` if someone else holds the lock.
    public func acquire(key: String, ttl: Duration) async throws -> RedisLockLease? {
        let lease = RedisLockLease(key: key, token: RedisLockLease.makeToken())
        let acquired = try await self.client.set(key, lease.token, condition: .nx, expiry: .after(ttl))
        return acquired ? lease : nil
    }

    /// Tries to take the lock until `waitingUpTo` has passed, polling every 10–30 ms (jittered so
    /// waiters do not retry in lockstep).
    ///
    /// - Returns: The lease, or `nil` if the lock stayed taken.
    /// - Throws: `CancellationError` if the task is cancelled while waiting.
    public func acquire(key: String, ttl: Duration, waitingUpTo timeout: Duration) async throws -> RedisLockLease? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let lease = try await self.acquire(key: key, ttl: ttl) {
                return lease
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return nil }
            let pause = Duration.milliseconds(Int.random(in: 10...30))
            try await Task.sleep(for: min(pause, remaining))
        }
    }

    /// Resets the lock's time to live to `ttl`, if `lease` still holds it.
    ///
    /// - Returns: `false` if the lock expired or belongs to someone else now.
    public func extend(_ lease: RedisLockLease, ttl: Duration) async throws -> Bool {
        let reply = try await self.client.evalsha(
            Self.extendScript,
            keys: [lease.key],
            args: [.string(lease.token), .integer(ttl.wholeMilliseconds)]
        )
        return reply.int == 1
    }

    /// Releases the lock, if `lease` still holds it.
    ///
    /// - Returns: `false` if the lock had already expired (and may be someone else's now).
    @discardableResult
    public func release(_ lease: RedisLockLease) async throws -> Bool {
        let reply = try await self.client.evalsha(Self.releaseScript, keys: [lease.key], args: [.string(lease.token)])
        return reply.int == 1
    }

    /// Runs `body` while holding the lock, extending it every third of `ttl` so that work longer
    /// than the ttl stays protected, and releases it afterwards (also when `body` throws).
    ///
    /// The body and the extender run as two child tasks. If the lock is lost anyway (Redis
    /// unreachable for longer than the ttl, or the key deleted), the body is cancelled and this
    /// throws ``RedisError/lockLost(key:)``.
    ///
    /// - Throws: ``RedisError/lockNotAcquired(key:)`` if the lock stayed taken for `waitingUpTo`.
    public func withLock<T: Sendable>(
        key: String,
        ttl: Duration,
        waitingUpTo timeout: Duration = .zero,
        body: @escaping @Sendable (RedisLockLease) async throws -> T
    ) async throws -> T {
        guard let lease = try await self.acquire(key: key, ttl: ttl, waitingUpTo: timeout) else {
            throw RedisError.lockNotAcquired(key: key)
        }
        do {
            let result = try await self.run(body, holding: lease, ttl: ttl)
            _ = try? await self.release(lease)
            return result
        } catch {
            _ = try? await self.release(lease)
            throw error
        }
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case extenderStopped
    }

    private func run<T: Sendable>(
        _ body: @escaping @Sendable (RedisLockLease) async throws -> T,
        holding lease: RedisLockLease,
        ttl: Duration
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask {
                .finished(try await body(lease))
            }
            group.addTask {
                try await self.keepExtending(lease, ttl: ttl)
                return .extenderStopped
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if case .finished(let value) = outcome {
                    return value
                }
            }
            throw RedisError.lockLost(key: lease.key)
        }
    }

    /// Extends the lease every `ttl / 3` until cancelled. Transient errors are retried at the next
    /// tick; throws ``RedisError/lockLost(key:)`` once the lock is gone or could not be extended
    /// for a whole ttl.
    private func keepExtending(_ lease: RedisLockLease, ttl: Duration) async throws {
        let clock = ContinuousClock()
        var lastExtended = clock.now
        while true {
            try await Task.sleep(for: ttl / 3)
            do {
                guard try await self.extend(lease, ttl: ttl) else {
                    throw RedisError.lockLost(key: lease.key)
                }
                lastExtended = clock.now
            } catch let error as RedisError where error != .lockLost(key: lease.key) {
                self.client.logger.warning("Could not extend Redis lock", metadata: ["key": "\(lease.key)", "error": "\(error)"])
                if clock.now - lastExtended >= ttl {
                    throw RedisError.lockLost(key: lease.key)
                }
            }
        }
    }
}
