extension RedisClient {
    /// `XADD`: appends an entry and returns its id.
    ///
    /// - Parameters:
    ///   - id: `*` lets Redis assign a time-based id.
    ///   - fields: Field names and values, in order.
    ///   - maxLength: Trims the stream to about this many entries (`MAXLEN ~`), or exactly with
    ///     `approximate: false`; approximate trimming is much cheaper for Redis.
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: [(name: String, value: String)],
        maxLength: Int? = nil,
        approximate: Bool = true
    ) async throws -> String {
        var command: [RESPArgument] = ["XADD", .string(stream)]
        command.reserveCapacity(6 + fields.count * 2)
        if let maxLength {
            command += ["MAXLEN", approximate ? "~" : "=", .integer(maxLength)]
        }
        command.append(.string(id))
        for (name, value) in fields {
            command += [.string(name), .string(value)]
        }
        return try await self.send(command).requireString("XADD")
    }

    /// `XADD` with fields from a dictionary (written in name order, for stable entries).
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: [String: String],
        maxLength: Int? = nil,
        approximate: Bool = true
    ) async throws -> String {
        let ordered = fields.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        return try await self.xadd(stream, id: id, fields: ordered, maxLength: maxLength, approximate: approximate)
    }

    /// `XGROUP CREATE`: creates a consumer group reading from `id` (`$`: only new entries, `0`: the
    /// whole stream).
    ///
    /// - Returns: `false` if the group already existed (`BUSYGROUP`), so start-up code can call it
    ///   unconditionally.
    @discardableResult
    public func xgroupCreate(
        _ stream: String,
        group: String,
        id: String = "$",
        mkstream: Bool = false
    ) async throws
        -> Bool
    {
        var command: [RESPArgument] = ["XGROUP", "CREATE", .string(stream), .string(group), .string(id)]
        if mkstream {
            command.append("MKSTREAM")
        }
        do {
            try await self.send(command)
            return true
        } catch RedisError.server(let message) where message.hasPrefix("BUSYGROUP") {
            return false
        }
    }

    /// `XREADGROUP`: reads entries for `consumer` of `group` from several streams.
    ///
    /// Pass id `>` for entries never delivered to the group, or an id such as `0` to re-read this
    /// consumer's own pending entries. With `block`, the read runs on a dedicated connection
    /// (``sendBlocking(_:blockingFor:)``), so it never delays other commands; `.zero` blocks
    /// until an entry arrives.
    ///
    /// - Returns: Entries per stream name; streams with no entries are absent (empty on timeout).
    public func xreadgroup(
        group: String,
        consumer: String,
        streams: [(stream: String, id: String)],
        count: Int? = nil,
        block: Duration? = nil,
        noAck: Bool = false
    ) async throws -> [String: [RedisStreamEntry]] {
        var command: [RESPArgument] = ["XREADGROUP", "GROUP", .string(group), .string(consumer)]
        if let count {
            command += ["COUNT", .integer(count)]
        }
        if let block {
            command += ["BLOCK", .integer(block.wholeMilliseconds)]
        }
        if noAck {
            command.append("NOACK")
        }
        command.append("STREAMS")
        command += streams.map { .string($0.stream) }
        command += streams.map { .string($0.id) }

        let reply: RESPValue
        if let block {
            reply = try await self.sendBlocking(command, blockingFor: block == .zero ? nil : block)
        } else {
            reply = try await self.send(command)
        }
        if reply.isNull { return [:] }
        var result: [String: [RedisStreamEntry]] = [:]
        for streamReply in try reply.requireArray("XREADGROUP") {
            guard let parts = streamReply.array, parts.count == 2, let name = parts[0].string else {
                throw RedisError.unexpectedReply("XREADGROUP stream \(streamReply)")
            }
            result[name] = try RedisStreamEntry.list(parts[1])
        }
        return result
    }

    /// `XREADGROUP` from one stream.
    public func xreadgroup(
        group: String,
        consumer: String,
        stream: String,
        id: String = ">",
        count: Int? = nil,
        block: Duration? = nil
    ) async throws -> [RedisStreamEntry] {
        try await self.xreadgroup(
            group: group,
            consumer: consumer,
            streams: [(stream: stream, id: id)],
            count: count,
            block: block
        )[stream] ?? []
    }

    /// `XACK`: marks entries as processed by the group; returns how many were pending.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.send(["XACK", .string(stream), .string(group)] + ids.map(RESPArgument.string))
            .requireInt("XACK")
    }

    /// `XAUTOCLAIM`: transfers to `consumer` entries pending for longer than `minIdle` (their
    /// consumer presumably died), scanning the pending list from `start`.
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdle: Duration,
        start: String = "0-0",
        count: Int? = nil
    ) async throws -> RedisStreamAutoClaimResult {
        var command: [RESPArgument] = [
            "XAUTOCLAIM", .string(stream), .string(group), .string(consumer),
            .integer(minIdle.wholeMilliseconds), .string(start),
        ]
        if let count {
            command += ["COUNT", .integer(count)]
        }
        return try RedisStreamAutoClaimResult(reply: try await self.send(command))
    }

    /// `XPENDING` summary: how many entries the group has not acknowledged, and who holds them.
    public func xpending(_ stream: String, group: String) async throws -> RedisStreamPendingSummary {
        try RedisStreamPendingSummary(reply: try await self.send(["XPENDING", .string(stream), .string(group)]))
    }

    /// `XPENDING` extended form: the pending entries between `start` and `end`, optionally only
    /// those of one consumer or idle for at least `minIdle`.
    public func xpending(
        _ stream: String,
        group: String,
        start: String = "-",
        end: String = "+",
        count: Int,
        consumer: String? = nil,
        minIdle: Duration? = nil
    ) async throws -> [RedisStreamPendingEntry] {
        var command: [RESPArgument] = ["XPENDING", .string(stream), .string(group)]
        if let minIdle {
            command += ["IDLE", .integer(minIdle.wholeMilliseconds)]
        }
        command += [.string(start), .string(end), .integer(count)]
        if let consumer {
            command.append(.string(consumer))
        }
        return try await self.send(command).requireArray("XPENDING").map(RedisStreamPendingEntry.init(reply:))
    }

    /// `XINFO GROUPS`: the stream's consumer groups; `NOGROUP`-like `ERR no such key` when the
    /// stream does not exist.
    public func xinfoGroups(_ stream: String) async throws -> [RedisStreamGroupInfo] {
        try await self.send(["XINFO", "GROUPS", .string(stream)]).requireArray("XINFO GROUPS").map(RedisStreamGroupInfo.init(reply:))
    }

    /// The id of the stream's newest entry (`XREVRANGE … COUNT 1`); nil when it has none.
    public func xlastID(_ stream: String) async throws -> String? {
        let entries = try await self.send(["XREVRANGE", .string(stream), "+", "-", "COUNT", 1]).requireArray("XREVRANGE")
        return entries.first?.array?.first?.string
    }

    /// `XLEN`: number of entries in the stream (0 if it does not exist).
    public func xlen(_ stream: String) async throws -> Int {
        try await self.send(["XLEN", .string(stream)]).requireInt("XLEN")
    }

    /// `XDEL`: deletes entries; returns how many existed.
    @discardableResult
    public func xdel(_ stream: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.send(["XDEL", .string(stream)] + ids.map(RESPArgument.string)).requireInt("XDEL")
    }
}
