/// A work queue on a Redis stream and one consumer group, with at-least-once delivery.
///
/// Each entry is delivered to exactly one consumer of the group. A consumer acknowledges an
/// entry when it has processed it; an entry received by a consumer that died before acknowledging
/// stays pending and is taken over by another consumer through ``claimAbandoned(consumer:minIdle:count:)``
/// once it has been idle long enough. Processing must therefore be idempotent: an entry whose
/// consumer was merely slow, or whose `XACK` was lost with a connection, is processed twice.
///
/// Several queues (different groups) on the same stream each see every entry.
///
/// Redis is disposable: when the stream or its group is gone (`FLUSHALL`, a restart without
/// persistence, a failover to an empty replica), the queue recreates both on the next call that
/// meets `NOGROUP` and calls `onGroupRecreated`, so the owner can send again what the lost stream
/// held (its entries are gone with it). A restart that loaded an older snapshot keeps the group
/// but not the entries added after it: `detectRestart()`, called now and then, tells the owner
/// the same way.
public struct RedisStreamQueue: Sendable {
    public let client: RedisClient
    /// The stream key.
    public let stream: String
    /// The consumer group name.
    public let group: String
    /// Called whenever this queue made the group (at first, or again after a loss); not when
    /// another consumer had made it already.
    public let onGroupRecreated: @Sendable () async -> Void

    public init(client: RedisClient, stream: String, group: String, onGroupRecreated: @escaping @Sendable () async -> Void = {}) {
        self.client = client
        self.stream = stream
        self.group = group
        self.onGroupRecreated = onGroupRecreated
    }

    /// Whether Redis answered that the stream or the group does not exist, or unblocked a
    /// blocking read because the stream was deleted under it.
    public static func isLostGroup(_ error: any Error) -> Bool {
        guard case RedisError.server(let message) = error else { return false }
        return message.hasPrefix("NOGROUP") || message.hasPrefix("UNBLOCKED")
    }

    /// Runs `body`; if the group was lost, recreates it, tells the owner, and answers `whenLost`.
    func recreatingLostGroup<T>(_ whenLost: T, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch  where Self.isLostGroup(error) {
            try await self.ensureGroup()
            return whenLost
        }
    }

    /// Creates the stream and the group if they do not exist. The group starts at the beginning
    /// of the stream, so entries enqueued before the first consumer started are not skipped. A
    /// group made here may replace one that was lost while no consumer ran: `onGroupRecreated`.
    public func ensureGroup() async throws {
        if try await self.client.xgroupCreate(self.stream, group: self.group, id: "0", mkstream: true) {
            await self.onGroupRecreated()
            // The owner has heard of this Redis: `detectRestart` need not tell it again.
            try await self.client.set(self.runIDKey, try await self.client.runID())
        }
    }

    /// Calls `onGroupRecreated` when Redis has restarted (or failed over) since this queue's
    /// group last checked: Redis may have come back from a snapshot older than the entries it
    /// had, with the group still there, which no `NOGROUP` would reveal. The run id the last check
    /// saw is kept beside the stream and written only after the owner was told, so a crash in
    /// between tells it again. Replicas checking at once may both tell their owners: a resend too
    /// many is harmless. With no run id kept yet (the group made by a version without this check,
    /// or being made right now by another replica) this one is recorded and nothing told: a
    /// snapshot from before the first check would go unseen, but no startup sends everything again.
    public func detectRestart() async throws {
        let current = try await self.client.runID()
        guard let previous = try await self.client.get(self.runIDKey) else {
            try await self.client.set(self.runIDKey, current, condition: .nx)
            return
        }
        guard previous != current else { return }
        await self.onGroupRecreated()
        try await self.client.set(self.runIDKey, current)
    }

    /// Where `detectRestart` keeps the run id of the Redis the owner last heard of.
    var runIDKey: String { "\(self.stream):\(self.group):run-id" }

    /// Appends an entry and returns its id.
    ///
    /// - Parameter maxLength: Approximate cap on the stream length; trimming also drops entries
    ///   that are still pending, so choose it far above the expected backlog.
    @discardableResult
    public func enqueue(_ fields: [(name: String, value: String)], maxLength: Int? = nil) async throws -> String {
        try await self.client.xadd(self.stream, fields: fields, maxLength: maxLength)
    }

    /// Appends an entry whose fields come from a dictionary and returns its id.
    @discardableResult
    public func enqueue(_ fields: [String: String], maxLength: Int? = nil) async throws -> String {
        try await self.client.xadd(self.stream, fields: fields, maxLength: maxLength)
    }

    /// Receives up to `count` entries never delivered to this group before.
    ///
    /// - Parameter block: How long to wait for entries when none are ready; `nil` returns at
    ///   once. A blocking receive uses its own connection and ends early if the task is cancelled.
    public func receive(consumer: String, count: Int = 10, block: Duration? = nil) async throws -> [RedisStreamEntry] {
        try await self.recreatingLostGroup([]) {
            try await self.client.xreadgroup(
                group: self.group,
                consumer: consumer,
                stream: self.stream,
                id: ">",
                count: count,
                block: block
            )
        }
    }

    /// Acknowledges processed entries; returns how many were still pending.
    @discardableResult
    public func acknowledge(_ ids: [String]) async throws -> Int {
        // Entries of a lost group are gone already: nothing is left to acknowledge.
        try await self.recreatingLostGroup(0) { try await self.client.xack(self.stream, group: self.group, ids: ids) }
    }

    /// Takes over up to `count` entries that other consumers received but have not acknowledged
    /// for at least `minIdle`, scanning the whole pending list (`XAUTOCLAIM` from `0-0`).
    ///
    /// Run it periodically in each consumer with `minIdle` well above the normal processing time.
    public func claimAbandoned(consumer: String, minIdle: Duration, count: Int = 10) async throws -> [RedisStreamEntry] {
        try await self.recreatingLostGroup([]) { try await self.claim(consumer: consumer, minIdle: minIdle, count: count) }
    }

    func claim(consumer: String, minIdle: Duration, count: Int) async throws -> [RedisStreamEntry] {
        var claimed: [RedisStreamEntry] = []
        var start = "0-0"
        repeat {
            let result = try await self.client.xautoclaim(
                self.stream,
                group: self.group,
                consumer: consumer,
                minIdle: minIdle,
                start: start,
                count: count - claimed.count
            )
            claimed += result.entries
            start = result.nextStart
        } while start != "0-0" && claimed.count < count
        return claimed
    }

    /// The instant, in Unix milliseconds by Redis's clock, before which every entry of the stream
    /// was received and acknowledged by this group; nil when the stream or group does not exist.
    /// When the group has read the newest entry and nothing is pending, that is the moment of the
    /// first read below; otherwise the oldest pending entry's time or, with none pending, the last
    /// delivered one's (an id starts with its milliseconds, and entries are delivered in id
    /// order). Read in this order so an entry added or delivered between the reads only makes the
    /// answer earlier than it could be, never later.
    public func consumedThrough() async throws -> Int64? {
        let now = try await self.client.timeMilliseconds()
        let groups: [RedisStreamGroupInfo]
        do {
            groups = try await self.client.xinfoGroups(self.stream)
        } catch RedisError.server(let message) where message.contains("no such key") {
            return nil
        }
        guard let group = groups.first(where: { $0.name == self.group }) else { return nil }
        let newest = try await self.client.xlastID(self.stream)
        let pending = try await self.client.xpending(self.stream, group: self.group)
        if pending.count == 0, newest == nil || newest == group.lastDeliveredID { return now }
        let id = pending.lowestID ?? group.lastDeliveredID
        guard let milliseconds = id.split(separator: "-").first.flatMap({ Int64($0) }) else {
            throw RedisError.unexpectedReply("stream entry id \(id)")
        }
        return milliseconds
    }

    /// The group's pending entries: how many, and per consumer.
    public func pending() async throws -> RedisStreamPendingSummary {
        try await self.client.xpending(self.stream, group: self.group)
    }
}
